import {
  hashValue,
  type ScoreContextV1,
  type ScoreItemV1,
  type ScoreOutputV1,
  type ScoreV1,
} from '@plexus/core';
import { batchWindow } from './batch-provider.js';

/** A score that asks a model once per item (in flight together, under the shared limiter). */
export function llmScore(options: {
  kind: string;
  name: string;
  labels: readonly string[];
  model: string;
  /** The settings that change answers, for the fingerprint. */
  answerSettings: unknown;
  scoreItem: (item: ScoreItemV1, signal: AbortSignal) => Promise<ScoreOutputV1>;
  /** The model client, told which run calls (a batch's ids go in its folder). */
  client?: { readonly batch: boolean; useRun(context: ScoreContextV1): void };
}): ScoreV1 {
  const batch = options.client?.batch === true;
  return {
    specificationVersion: 'v1',
    kind: options.kind,
    name: options.name,
    labels: options.labels,
    model: options.model,
    fingerprint: hashValue({
      kind: options.kind,
      settings: options.answerSettings,
      labels: options.labels,
    }),
    // Batch execution: many items at once, their requests collected into Batch API files.
    maxBatchSize: batch ? batchWindow : 32,
    ...(batch ? { collects: batchWindow } : {}),
    async doScore({ items, signal, onOutput, context }) {
      signal.throwIfAborted();
      options.client?.useRun(context);
      return Promise.all(
        items.map(async (item, index) => {
          const output = await options.scoreItem(item, signal);
          onOutput?.(index, output);
          return output;
        }),
      );
    },
  };
}
