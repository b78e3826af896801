// Scores that read a gold label column (a dataset field their settings name, e.g. a prompt's
// `{{ metadata.intent }}` or a forest's numeric field): a score that reads its own gold label
// answers from the answer key, and its accuracy means nothing.
import type { ConfigProblem } from '../common/errors.js';
import type { SourcePositions } from './source-positions.js';

/** A score as this check sees it (see `PreflightScore`). */
interface ReadingScore {
  index: number;
  name: string;
  gold?: 'dataset' | 'feedback';
  disabled: boolean;
  needs: { fields?: readonly { name: string; path: string }[] } | undefined;
}

/**
 * Adds an error for each field a score reads from its own gold column, a warning for a field read
 * from another score's. `goldColumns`: the columns each score's gold may come from, in the order
 * they are looked for (the first one the dataset has is the gold).
 */
export function addGoldReads(
  found: { problems: ConfigProblem[]; warnings: ConfigProblem[] },
  options: {
    scores: readonly ReadingScore[];
    goldColumns: ReadonlyMap<string, readonly string[]>;
    columns: readonly string[];
    positions: SourcePositions;
    settingPath: (path: string) => (string | number)[];
  },
): void {
  const { scores, positions } = options;
  const goldOf = new Map<string, string>();
  for (const score of scores) {
    if (score.gold === 'feedback') continue;
    const column = options.goldColumns
      .get(score.name)
      ?.find((name) => options.columns.includes(name));
    if (column !== undefined) goldOf.set(score.name, column);
  }
  for (const score of scores.filter((entry) => !entry.disabled)) {
    for (const need of score.needs?.fields ?? []) {
      const column = need.name.split('.')[0]!;
      const at = ['scores', score.index, ...options.settingPath(need.path)];
      if (goldOf.get(score.name) === column) {
        found.problems.push(
          positions.problem(
            at,
            `reads column "${column}", the gold label of "${score.name}" itself: its answers would come from the answer key and its accuracy would mean nothing. Stop reading field "${need.name}" here, or measure the score against another column (label_column)`,
          ),
        );
        continue;
      }
      const owner = [...goldOf].find(([, gold]) => gold === column)?.[0];
      if (owner !== undefined)
        found.warnings.push(
          positions.problem(
            at,
            `reads column "${column}", the gold label of score "${owner}": "${score.name}" sees that answer key. Fine when the column is an input you will also have when scoring new items; otherwise the metrics of "${score.name}" are better than it will be`,
          ),
        );
    }
  }
}
