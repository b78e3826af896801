import { join } from 'node:path';
import { hashValue, InvalidConfigError } from '@plexus/core';
import { BatchApi } from './batch-api.js';
import { BatchCollector, maxBatchRequests } from './batch-collector.js';
import { BatchRecord } from './batch-record.js';
import type { ChatProvider } from './chat-provider.js';
import type { ClassifierSettings } from './classifier-settings.js';
import type { ModelPrice } from './pricing.js';

/** The settings batch execution reads. */
export type BatchSettings = Pick<
  ClassifierSettings,
  'provider' | 'model' | 'base_url' | 'api_key_env' | 'timeout_ms'
> &
  Partial<Pick<ClassifierSettings, 'execution' | 'batch_poll_ms'>>;

/** Items a batch score takes at once (the engine's window grows to it): one full batch file. */
export const batchWindow = maxBatchRequests;

/**
 * Whether a score runs through the Batch API: its `execution`, else the run's `--batch` (for
 * `openai` only; other providers have none and stay synchronous). `execution: batch` on another
 * provider is a load-time error.
 */
export function usesBatch(settings: BatchSettings, env: { execution?: 'batch' }): boolean {
  if (settings.execution === 'batch' && settings.provider !== 'openai')
    throw new InvalidConfigError([
      {
        path: 'execution',
        message: `batch needs provider: openai (OpenAI's or Azure OpenAI's Batch API); ${settings.provider} has none: remove execution: batch`,
      },
    ]);
  return settings.provider === 'openai' && (settings.execution ?? env.execution) === 'batch';
}

/** OpenAI's Batch API costs half the synchronous price (input, cached input and output). */
export function batchPrice(price: ModelPrice | undefined): ModelPrice | undefined {
  if (!price) return undefined;
  return {
    input: price.input / 2,
    output: price.output / 2,
    ...(price.cachedInput === undefined ? {} : { cachedInput: price.cachedInput / 2 }),
  };
}

/** One collector per endpoint, model and run folder: every score of a run shares its batches. */
const collectors = new Map<string, BatchCollector>();

/**
 * A provider whose calls are answered from Batch API batches; `runDir()` is the run folder of the
 * run calling (its `batches.jsonl` records the batches), undefined for none.
 */
export function batchProvider(
  settings: BatchSettings,
  runDir: () => string | undefined,
): ChatProvider {
  const scope = hashValue({
    base_url: settings.base_url ?? process.env.OPENAI_BASE_URL ?? '',
    model: settings.model,
    key: settings.api_key_env ?? '',
  });
  return {
    name: 'openai',
    complete(request, signal) {
      const dir = runDir();
      const key = `${scope}|${dir ?? ''}`;
      let collector = collectors.get(key);
      if (!collector) {
        collector = new BatchCollector({
          api: new BatchApi({
            baseUrl: settings.base_url,
            apiKeyEnv: settings.api_key_env,
            timeoutMs: settings.timeout_ms,
          }),
          record: new BatchRecord(dir === undefined ? undefined : join(dir, 'batches.jsonl')),
          scope,
          model: settings.model,
          pollMs: settings.batch_poll_ms ?? 10_000,
        });
        collectors.set(key, collector);
      }
      return collector.complete(request, signal);
    },
  };
}
