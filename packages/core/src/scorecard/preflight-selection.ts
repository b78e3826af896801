import type { ConfigProblem } from '../common/errors.js';
import { normalizeLabel } from '../text/labels.js';
import type { ScoreDependency } from './loaded-scorecard.js';
import { nameHint } from './lookalike-names.js';
import { withDependencies } from './score-selection.js';
import type { SourcePositions } from './source-positions.js';

/** A score whose common fields parsed, whatever its class and settings: enough to check the graph. */
export interface ScoreNode {
  /** Position in the file's `scores` list. */
  index: number;
  name: string;
  dependsOn: readonly ScoreDependency[];
  /** The labels it can give, when known (declared, or produced by valid settings). */
  labels: readonly string[] | undefined;
}

/** The scores `--score` names plus everything they depend on; every score when none is named. */
export function selectNodes(
  nodes: readonly ScoreNode[],
  wanted: readonly string[] | undefined,
): { selected: Set<number>; problems: ConfigProblem[] } {
  if (!wanted || wanted.length === 0)
    return { selected: new Set(nodes.map((node) => node.index)), problems: [] };
  const { wanted: names, problems } = withDependencies(nodes, wanted);
  const selected = new Set(nodes.filter((node) => names.has(node.name)).map((node) => node.index));
  return { selected, problems };
}

/** Whether a problem belongs to a score left out by `--score` (`scores[3].model`). */
export function aboutUnselectedScore(
  problem: ConfigProblem,
  selected: ReadonlySet<number>,
): boolean {
  const match = /^scores\[(\d+)\]/.exec(problem.path);
  return match !== null && !selected.has(Number(match[1]));
}

/** Dependencies on unknown scores, and conditions on labels the upstream score cannot give. */
export function dependencyProblems(
  nodes: readonly ScoreNode[],
  names: ReadonlyMap<string, number>,
  positions: SourcePositions,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byName = new Map(nodes.map((node) => [node.name, node]));
  for (const node of nodes) {
    for (const dependency of node.dependsOn) {
      const at = ['scores', node.index, 'depends_on'];
      if (!names.has(dependency.score)) {
        const hint = nameHint(dependency.score, names.keys());
        problems.push(positions.problem(at, `unknown score "${dependency.score}"${hint}`));
        continue;
      }
      const labels = byName.get(dependency.score)?.labels;
      if (!labels || !dependency.values) continue;
      const known = new Set(labels.map((label) => normalizeLabel(label)));
      for (const value of dependency.values) {
        if (!known.has(normalizeLabel(value))) {
          problems.push(
            positions.problem(
              [...at, dependency.score],
              `"${value}" is not a label of ${dependency.score} (${labels.join(', ')})`,
            ),
          );
        }
      }
    }
  }
  return problems;
}

/** Each dependency cycle as a problem at the `depends_on` of its first score. */
export function cycleProblems(
  cycles: readonly string[][],
  nodes: readonly ScoreNode[],
  positions: SourcePositions,
): ConfigProblem[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  return cycles.map((cycle) =>
    positions.problem(
      ['scores', byName.get(cycle[0]!)!.index, 'depends_on'],
      `dependency cycle: ${cycle.join(' → ')}`,
    ),
  );
}
