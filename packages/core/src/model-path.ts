import { isAbsolute, resolve } from 'node:path';
import { InvalidConfigError } from './errors.js';
import type { ScoreEnvV1 } from './score-spec.js';

/**
 * The local file of a model setting: a path relative to the scorecard, or a `models:/` registry
 * URI downloaded through `env.resolveModel`. `at` names the setting in error messages.
 */
export async function resolveModelPath(
  setting: string,
  env: Pick<ScoreEnvV1, 'baseDir' | 'resolveModel'>,
  at = 'model',
): Promise<string> {
  if (!setting.startsWith('models:/'))
    return isAbsolute(setting) ? setting : resolve(env.baseDir, setting);
  if (!env.resolveModel)
    throw new InvalidConfigError([
      {
        path: at,
        message: `${setting} is a registry URI: set MLFLOW_TRACKING_URI to the MLflow server that holds it`,
      },
    ]);
  return env.resolveModel(setting);
}
