import { type ConfigProblem, InvalidConfigError } from '../common/errors.js';
import type { LoadedScore, ScoreDependency } from './loaded-scorecard.js';
import { nameHint } from './lookalike-names.js';

/**
 * The names `--score` asks for plus every score they depend on, and a problem (with a did-you-mean)
 * for each name no score has. One rule for the loader's checks and for the run.
 */
export function withDependencies(
  scores: readonly { name: string; dependsOn: readonly ScoreDependency[] }[],
  names: readonly string[],
): { wanted: Set<string>; problems: ConfigProblem[] } {
  const byName = new Map(scores.map((entry) => [entry.name, entry]));
  const wanted = new Set<string>();
  const problems: ConfigProblem[] = [];
  const add = (name: string) => {
    const entry = byName.get(name);
    if (!entry || wanted.has(name)) return;
    wanted.add(name);
    for (const dependency of entry.dependsOn) add(dependency.score);
  };
  for (const name of names) {
    if (!byName.has(name)) {
      problems.push({
        path: '--score',
        message: `no score named "${name}"${nameHint(name, byName.keys())} (scores: ${[...byName.keys()].join(', ')})`,
      });
    }
    add(name);
  }
  return { wanted, problems };
}

/** The named scores plus everything they depend on, in dependency order; all when none named. */
export function selectScores(
  scores: readonly LoadedScore[],
  names: readonly string[] | undefined,
): LoadedScore[] {
  if (!names || names.length === 0) return [...scores];
  const { wanted, problems } = withDependencies(scores, names);
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return scores.filter((entry) => wanted.has(entry.name));
}
