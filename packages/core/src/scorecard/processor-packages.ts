import type { ConfigProblem } from '../common/errors.js';
import {
  bindProcessors,
  type ProcessorConfig,
  processorProblems,
} from '../processors/processors.js';
import { isPackageName } from './package-lookup.js';
import type { SourcePositions } from './source-positions.js';

/** The processor lists of a parsed scorecard: the scorecard's own, then each score's, with their paths. */
function processorLists(raw: unknown): { path: PropertyKey[]; list: unknown[] }[] {
  const card = raw as { processors?: unknown; scores?: unknown } | null;
  const lists: { path: PropertyKey[]; list: unknown[] }[] = [];
  if (Array.isArray(card?.processors)) lists.push({ path: ['processors'], list: card.processors });
  if (Array.isArray(card?.scores))
    for (const [index, score] of card.scores.entries()) {
      const processors = (score as { processors?: unknown } | null)?.processors;
      if (Array.isArray(processors))
        lists.push({ path: ['scores', index, 'processors'], list: processors });
    }
  return lists;
}

/**
 * A problem for every processor `package` that is not an npm package name (the semantic
 * processor's, `package: ../x`): it was looked up as `node_modules/../x`, so a path beside
 * `node_modules` was imported and run, and `validate` said nothing.
 */
export function processorPackageProblems(
  raw: unknown,
  positions: SourcePositions,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const { path, list } of processorLists(raw))
    for (const [index, processor] of list.entries()) {
      const name = (processor as { package?: unknown } | null)?.package;
      if (typeof name !== 'string' || isPackageName(name)) continue;
      problems.push(
        positions.problem(
          [...path, index, 'package'],
          `package "${name}" must name an npm package (e.g. @plexus/classifier-onnx), not a path`,
        ),
      );
    }
  return problems;
}

/** Problems of the scorecard's own processors found before any text (a model file, a package). */
export function sharedProcessorProblems(
  processors: readonly ProcessorConfig[],
  baseDir: string,
  positions: SourcePositions,
): ConfigProblem[] {
  return processorProblems(bindProcessors(processors, baseDir)).map((problem) =>
    positions.problem(['processors', problem.index, problem.field], problem.message),
  );
}
