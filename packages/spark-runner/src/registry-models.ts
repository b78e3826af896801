// `models:/` URIs on Spark: the driver resolves them (one version each, downloaded once into the
// cache folder), the executors load those files. Executors never talk to MLflow, and every task
// scores with the version the driver loaded, even if an alias moves while the job runs.
import { existsSync } from 'node:fs';
import { InvalidConfigError, type LoadedScorecard } from '@plexus/core';

/** Every `models:/` URI in a value's strings, at any depth. */
function urisIn(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value.startsWith('models:/')) into.add(value);
  } else if (Array.isArray(value)) for (const entry of value) urisIn(entry, into);
  else if (value && typeof value === 'object')
    for (const entry of Object.values(value)) urisIn(entry, into);
}

/**
 * The `models:/` URIs of a scorecard's scores' settings, by score name (disabled scores' too: a
 * worker's load resolves them as the driver's does).
 */
export function registryUris(scorecard: LoadedScorecard): Map<string, string[]> {
  const byScore = new Map<string, string[]>();
  for (const score of scorecard.scores) {
    const uris = new Set<string>();
    urisIn(score.settings, uris);
    if (uris.size > 0) byScore.set(score.name, [...uris]);
  }
  return byScore;
}

/**
 * The files the executors load for the scorecard's `models:/` URIs, from `models` (URI -> file,
 * resolved on the driver); a URI without one, or whose file is missing here, is refused before
 * the job, naming the score and the fix.
 */
export function registryFiles(
  scorecard: LoadedScorecard,
  models: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [score, uris] of registryUris(scorecard))
    for (const uri of uris) {
      const file = Object.hasOwn(models, uri) ? models[uri] : undefined;
      if (file === undefined || !existsSync(file))
        throw new InvalidConfigError([
          {
            path: `scores.${score}`,
            message:
              file === undefined
                ? `${uri}: Spark executors never talk to MLflow; the driver resolves registry models: set MLFLOW_TRACKING_URI (plexus spark submit), or pass runOnSpark's models: { "${uri}": <file> }`
                : `${uri} was resolved to ${file}, which does not exist`,
          },
        ]);
      files[uri] = file;
    }
  return files;
}

/**
 * The worker's `resolveModel`: the files the driver resolved (`--models`); a file missing on this
 * executor names the folder every executor must be able to read.
 */
export function workerModelResolver(
  models: Readonly<Record<string, string>>,
): (uri: string) => Promise<string> {
  return async (uri) => {
    const file = Object.hasOwn(models, uri) ? models[uri] : undefined;
    if (file === undefined)
      throw new Error(
        `${uri} was not resolved by the driver (executors never talk to MLflow): submit the job with plexus spark submit, or runOnSpark's models`,
      );
    if (!existsSync(file))
      throw new Error(
        `${uri}: the driver downloaded it to ${file}, which this executor cannot read: pass --cache-dir a folder every executor shares (registry models are downloaded into it)`,
      );
    return file;
  };
}
