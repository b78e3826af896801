// Each checked score made into a running one (its factory's `create`, checked), and the fingerprint
// the cache and run folders key it by.
import { type ConfigProblem, errorMessage, InvalidConfigError } from '../common/errors.js';
import { hashValue } from '../common/hash.js';
import { thrownError } from '../engine/output-check.js';
import { scorePackageOf } from '../engine/output-fields.js';
import type { RunBudgetV1, ScoreEnvV1 } from '../spec/score-spec.js';
import { createdScoreProblem } from './created-score.js';
import type { LoadedScore } from './loaded-scorecard.js';
import { settingPath } from './preflight.js';
import type { IndexedScore } from './scorecard-entries.js';
import type { SourcePositions } from './source-positions.js';

export async function createScores(
  scores: IndexedScore[],
  context: {
    baseDir: string;
    cacheDir: string;
    cache: boolean;
    positions: SourcePositions;
    resolveModel: ((uri: string) => Promise<string>) | undefined;
    requestConcurrency: number | undefined;
    execution?: 'batch';
    jobTasks?: number;
    runBudget: RunBudgetV1 | undefined;
    uncached?: ReadonlySet<number>;
  },
): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  for (const entry of scores) {
    const env: ScoreEnvV1 = {
      name: entry.name,
      labels: entry.labels,
      baseDir: context.baseDir,
      cacheDir: context.cacheDir,
      cache: context.cache && !context.uncached?.has(entry.index),
      dependsOn: entry.dependsOn.map((dependency) => dependency.score),
    };
    if (context.resolveModel) env.resolveModel = context.resolveModel;
    if (context.requestConcurrency) env.requestConcurrency = context.requestConcurrency;
    if (context.execution) env.execution = context.execution;
    if (context.jobTasks && context.jobTasks > 1) env.jobTasks = context.jobTasks;
    if (context.runBudget) env.runBudget = context.runBudget;
    const packageName = scorePackageOf(entry);
    try {
      entry.score = await entry.factory.create(entry.settings, env);
      const wrong = createdScoreProblem(entry.score);
      if (wrong !== undefined) {
        entry.score = undefined;
        throw new Error(`${wrong}; a fix for ${packageName}`);
      }
    } catch (error) {
      const at = ['scores', entry.index];
      if (error instanceof InvalidConfigError) {
        for (const problem of error.problems) {
          problems.push(
            context.positions.problem([...at, ...settingPath(problem.path)], problem.message),
          );
        }
      } else {
        problems.push(
          context.positions.problem(
            at,
            `cannot create score "${entry.name}" (${packageName}): ${errorMessage(thrownError(error, entry.name, packageName))}`,
          ),
        );
      }
    }
  }
  return problems;
}

/** The score's identity for caches and run folders: its class, code, settings, labels and inputs. */
export function effectiveFingerprint(entry: LoadedScore): string {
  return hashValue({
    class: entry.className,
    code: entry.code,
    score: entry.score?.fingerprint ?? hashValue(entry.settings),
    labels: entry.labels,
    processors: entry.processors,
    dependsOn: entry.dependsOn,
  });
}
