import type { ScoreMetrics } from '@plexus/core';
import type { MlflowClient, ModelVersion } from './mlflow-client.js';
import { registerModel } from './model-registry.js';
import { testMetrics } from './sweep-tracking.js';

/** The registered model name of a score: `<scorecard key>.<score slug>` (`spam.spam-forest`). */
export function registeredModelName(scorecardKey: string, score: string): string {
  const slug = score
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${scorecardKey}.${slug}`;
}

/** A model `train` wrote, to register. */
export interface TrainedModel {
  /** The score's name in the scorecard. */
  name: string;
  modelPath: string;
  trainItems: number;
  /** Its metrics on the held-out test items, logged as `test_<metric>`; null without a test split. */
  metrics: ScoreMetrics | null;
}

/**
 * Registers trained models as `<scorecard key>.<score>` (one new version each, with its test
 * metrics and `train_items` as params on the registration run), moving `alias` to each new
 * version when given. The registration hook of `plexus train --register`.
 */
export async function registerTrainedModels(options: {
  client: MlflowClient;
  trained: readonly TrainedModel[];
  scorecardKey: string;
  alias?: string;
  params?: Record<string, string>;
}): Promise<ModelVersion[]> {
  const versions: ModelVersion[] = [];
  for (const score of options.trained) {
    versions.push(
      await registerModel({
        client: options.client,
        file: score.modelPath,
        name: registeredModelName(options.scorecardKey, score.name),
        alias: options.alias,
        metrics: testMetrics(score.metrics),
        params: { train_items: String(score.trainItems), ...options.params },
      }),
    );
  }
  return versions;
}
