import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidConfigError, resolveModelPath, type ScoreEnvV1 } from '@plexus/core';
import type { ChatProvider } from './chat-provider.js';
import type { ClassifierSettings } from './classifier-settings.js';
import { createHuggingFaceProvider } from './huggingface-provider.js';
import { createLlamaCppProvider, importLlamaCpp } from './llama-cpp-provider.js';
import { createOpenAiProvider } from './openai-provider.js';

/** The model settings every LLM kind has (see `modelSettings`). */
export type ModelSettings = Pick<
  ClassifierSettings,
  | 'provider'
  | 'model'
  | 'context_size'
  | 'threads'
  | 'base_url'
  | 'client'
  | 'api_key_env'
  | 'temperature'
  | 'max_tokens'
  | 'timeout_ms'
  | 'max_concurrency'
  | 'requests_per_minute'
  | 'tokens_per_minute'
  | 'max_retries'
  | 'hedge_after_ms'
  | 'pricing'
  | 'budget'
> &
  Partial<Pick<ClassifierSettings, 'execution' | 'batch_poll_ms'>>;

/** What the client needs from the score's environment. */
export type ClientEnv = Pick<
  ScoreEnvV1,
  'baseDir' | 'resolveModel' | 'requestConcurrency' | 'runBudget' | 'execution' | 'jobTasks'
> & {
  /** Where responses are kept; none, no response cache. */
  cacheDir?: string;
};

/**
 * Checks what can be checked before the first call: for `llama-cpp`, that node-llama-cpp is
 * installed and the GGUF file exists (a `models:/` URI is downloaded at the first call).
 */
export async function checkProvider(settings: ModelSettings, env: ClientEnv): Promise<void> {
  if (settings.provider !== 'llama-cpp') return;
  if (!settings.model.startsWith('models:/')) {
    const path = await resolveModelPath(settings.model, env);
    if (!existsSync(path))
      throw new InvalidConfigError([
        {
          path: 'model',
          message: `GGUF file ${path} not found: give the path of a local .gguf file (relative to the scorecard) or a models:/ URI`,
        },
      ]);
  }
  // Only the import: the CPU backend starts at the first call, not when a scorecard is loaded.
  await importLlamaCpp();
}

/** The model as people name it: `openai gpt-4o-mini`, `llama-cpp gemma.gguf (local, CPU)`. */
export function modelLabel(settings: ModelSettings): string {
  if (settings.provider === 'llama-cpp')
    return `llama-cpp ${basename(settings.model)} (local, CPU)`;
  return `${settings.provider} ${settings.model}${settings.base_url ? ` at ${settings.base_url}` : ''}`;
}

export function createProvider(
  settings: ModelSettings,
  env: ClientEnv,
  parallel: number,
): ChatProvider {
  if (settings.provider === 'llama-cpp') {
    let path: Promise<string> | undefined;
    return createLlamaCppProvider({
      modelPath: () => {
        path ??= resolveModelPath(settings.model, env);
        return path;
      },
      parallel,
      contextSize: settings.context_size,
      threads: settings.threads,
      timeoutMs: settings.timeout_ms,
    });
  }
  if (settings.provider === 'huggingface')
    return createHuggingFaceProvider({
      task: 'chat',
      baseUrl: settings.base_url,
      apiKeyEnv: settings.api_key_env,
      timeoutMs: settings.timeout_ms,
    });
  return createOpenAiProvider({
    baseUrl: settings.base_url,
    apiKeyEnv: settings.api_key_env,
    client: settings.client,
    timeoutMs: settings.timeout_ms,
  });
}
