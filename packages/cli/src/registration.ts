import type { ScoreMetrics } from '@plexus/core';

/** The registered model name of a score: `<scorecard key>.<score slug>`. */
export function registeredName(key: string, score: string): string {
  const slug = score
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${key}.${slug}`;
}

/** A trained model to register. */
export interface TrainedModel {
  name: string;
  modelPath: string;
  trainItems: number;
  metrics: ScoreMetrics | null;
}

/** Registers trained models in MLflow as `<key>.<score>` with their test metrics; returns `models:/` lines. */
export async function registerTrained(
  trained: readonly TrainedModel[],
  key: string,
  options: { alias?: string; params?: Record<string, string> },
): Promise<string[]> {
  const tracker = await import('@plexus/mlflow-tracker');
  const client = new tracker.MlflowClient();
  const lines: string[] = [];
  for (const score of trained) {
    const name = registeredName(key, score.name);
    const version = await tracker.registerModel({
      client,
      file: score.modelPath,
      name,
      alias: options.alias,
      metrics: tracker.testMetrics(score.metrics),
      params: { train_items: String(score.trainItems), ...options.params },
    });
    lines.push(`models:/${name}/${version.version}${options.alias ? ` (@${options.alias})` : ''}`);
  }
  return lines;
}
