import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultCacheDir,
  formatProblem,
  type LoadedScorecard,
  loadScorecard,
  type RunBudgetV1,
} from '@plexus/core';
import { oneLine } from './output.js';

/** With MLFLOW_TRACKING_URI set, `models:/` URIs in model settings come from the MLflow registry. */
function registryResolver(
  cacheDir: string | undefined,
): ((uri: string) => Promise<string>) | undefined {
  if (!process.env.MLFLOW_TRACKING_URI) return undefined;
  let resolver: Promise<(uri: string) => Promise<string>> | undefined;
  return async (uri) => {
    resolver ??= import('@plexus/mlflow-tracker').then((tracker) =>
      tracker.mlflowModelResolver({ cacheDir: cacheDir ?? defaultCacheDir() }),
    );
    return (await resolver)(uri);
  };
}

/** Loads a scorecard, also finding score packages installed beside the CLI itself. */
export function loadForCli(
  path: string,
  options: {
    cacheDir?: string;
    create?: boolean;
    cache?: boolean;
    requestConcurrency?: number;
    /** `--batch`: LLM scores with a provider Batch API use it (see `ScoreEnvV1.execution`). */
    execution?: 'batch';
    runBudget?: RunBudgetV1;
    /** `--score`: load, check and create only these scores and what they depend on. */
    scores?: readonly string[];
    /** Check the scorecard against this dataset, or with `true` its `data.path` (see `checkData`). */
    checkData?: string | boolean;
    /** Where warnings go, one line each (`file:line:col: path: warning: ...`). */
    warn?: (line: string) => void;
  } = {},
): Promise<LoadedScorecard> {
  const { warn } = options;
  return loadScorecard(path, {
    searchFrom: [dirname(fileURLToPath(import.meta.url))],
    cacheDir: options.cacheDir,
    create: options.create,
    cache: options.cache,
    resolveModel: registryResolver(options.cacheDir),
    requestConcurrency: options.requestConcurrency,
    execution: options.execution,
    runBudget: options.runBudget,
    scores: options.scores,
    checkData: options.checkData,
    onWarning: warn
      ? (warning) =>
          warn(
            `${formatProblem({ ...warning, message: `warning: ${oneLine(warning.message)}` })}\n`,
          )
      : undefined,
  });
}
