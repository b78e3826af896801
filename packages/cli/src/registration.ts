import type { TrainedModel } from '@plexus/mlflow-tracker';

export type { TrainedModel } from '@plexus/mlflow-tracker';

/**
 * Registers trained models in MLflow as `<key>.<score>` with their test metrics (mlflow-tracker's
 * `registerTrainedModels`); returns the `models:/` lines to print.
 */
export async function registerTrained(
  trained: readonly TrainedModel[],
  key: string,
  options: { alias?: string; params?: Record<string, string> },
): Promise<string[]> {
  const tracker = await import('@plexus/mlflow-tracker');
  const versions = await tracker.registerTrainedModels({
    client: new tracker.MlflowClient(),
    trained,
    scorecardKey: key,
    alias: options.alias,
    params: options.params,
  });
  return versions.map(
    (version) =>
      `models:/${version.name}/${version.version}${options.alias ? ` (@${options.alias})` : ''}`,
  );
}
