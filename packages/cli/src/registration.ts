import { InvalidConfigError } from '@plexus/core';
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

/**
 * Refuses `--register` before any training: without a tracking URI (it was said only after the
 * models were trained), or when a score to register would share its MLflow model name with
 * another trainable score (`Intent ONNX`, `Intent (ONNX)`: both `<key>.intent-onnx`), whose
 * versions went into one registered model, an alias onto either.
 */
export async function checkRegisteredNames(
  key: string,
  scores: readonly string[],
  registering: readonly string[],
): Promise<void> {
  const { MlflowClient, registeredModelName } = await import('@plexus/mlflow-tracker');
  new MlflowClient(); // throws a TrackerError naming MLFLOW_TRACKING_URI when it is not set
  for (const name of registering) {
    const model = registeredModelName(key, name);
    const other = scores.find(
      (score) => score !== name && registeredModelName(key, score) === model,
    );
    if (other !== undefined)
      throw new InvalidConfigError([
        {
          path: '--register',
          message: `scores "${name}" and "${other}" would be registered as one MLflow model (${model}); rename one so that their letters and digits differ`,
        },
      ]);
  }
}
