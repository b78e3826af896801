import { errorMessage, type ScoreMetrics, shellWord, TrackerError } from '@plexus/core';
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
  for (const [index, score] of options.trained.entries()) {
    try {
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
    } catch (error) {
      throw notRegistered(error, options, versions, options.trained.slice(index));
    }
  }
  return versions;
}

/**
 * Training's models are written, but some not registered: which were, and the command that
 * registers each of the others (the client's own advice, `plexus mlflow sync <run-dir>`, is for
 * run folders: it registers nothing).
 */
function notRegistered(
  error: unknown,
  options: { scorecardKey: string; alias?: string },
  registered: readonly ModelVersion[],
  left: readonly TrainedModel[],
): TrackerError {
  const reason = errorMessage(error).replace(/; the run stays in its local folder: .*$/, '');
  const done = registered.map((version) => `models:/${version.name}/${version.version}`);
  const commands = left.map(
    (score) =>
      `plexus mlflow register ${shellWord(score.modelPath)} --name ${shellWord(registeredModelName(options.scorecardKey, score.name))}${options.alias ? ` --alias ${shellWord(options.alias)}` : ''}`,
  );
  return new TrackerError(
    `${left.length === 1 ? 'the model was' : `${left.length} models were`} trained and written but not registered (${reason})${done.length > 0 ? `; registered before it: ${done.join(', ')}` : ''}. Register ${left.length === 1 ? 'it' : 'them'} once MLflow answers with:\n  ${commands.join('\n  ')}`,
    { cause: error, status: error instanceof TrackerError ? error.status : undefined },
  );
}
