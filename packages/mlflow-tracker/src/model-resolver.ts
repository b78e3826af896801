import { join } from 'node:path';
import { MlflowClient, type MlflowClientOptions } from './mlflow-client.js';
import { resolveModelUri } from './model-registry.js';

/**
 * A `resolveModel` for scorecard loading: `models:/` URIs are downloaded from the MLflow
 * registry into `<cacheDir>/mlflow-models` once and then read from there.
 */
export function mlflowModelResolver(
  options: { cacheDir: string } & MlflowClientOptions,
): (uri: string) => Promise<string> {
  let client: MlflowClient | undefined;
  const resolved = new Map<string, Promise<string>>();
  return (uri) => {
    client ??= new MlflowClient(options);
    let path = resolved.get(uri);
    if (!path) {
      path = resolveModelUri(uri, { client, cacheDir: join(options.cacheDir) });
      resolved.set(uri, path);
    }
    return path;
  };
}
