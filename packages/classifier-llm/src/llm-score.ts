import { hashValue, type ScoreItemV1, type ScoreOutputV1, type ScoreV1 } from '@plexus/core';

/** A score that asks a model once per item (in flight together, under the shared limiter). */
export function llmScore(options: {
  kind: string;
  name: string;
  labels: readonly string[];
  model: string;
  /** The settings that change answers, for the fingerprint. */
  answerSettings: unknown;
  scoreItem: (item: ScoreItemV1, signal: AbortSignal) => Promise<ScoreOutputV1>;
}): ScoreV1 {
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
    maxBatchSize: 32,
    async doScore({ items, signal, onOutput }) {
      signal.throwIfAborted();
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
