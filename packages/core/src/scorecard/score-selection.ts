import { InvalidConfigError } from '../common/errors.js';
import { closest } from '../text/suggest.js';
import type { LoadedScore } from './loaded-scorecard.js';

/** The named scores plus everything they depend on, in dependency order; all when none named. */
export function selectScores(
  scores: readonly LoadedScore[],
  names: readonly string[] | undefined,
): LoadedScore[] {
  if (!names || names.length === 0) return [...scores];
  const byName = new Map(scores.map((entry) => [entry.name, entry]));
  const wanted = new Set<string>();
  const problems = [];
  const add = (name: string) => {
    if (wanted.has(name)) return;
    const entry = byName.get(name);
    if (!entry) return;
    wanted.add(name);
    for (const dependency of entry.dependsOn) add(dependency.score);
  };
  for (const name of names) {
    if (!byName.has(name)) {
      const guess = closest(name, byName.keys());
      problems.push({
        path: '--score',
        message: `no score named "${name}"${guess ? `; did you mean "${guess}"?` : ''} (scores: ${[...byName.keys()].join(', ')})`,
      });
    }
    add(name);
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return scores.filter((entry) => wanted.has(entry.name));
}
