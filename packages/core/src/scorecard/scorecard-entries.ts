import { resolve } from 'node:path';
import { type ConfigProblem, errorMessage } from '../common/errors.js';
import {
  bindProcessors,
  type ProcessorConfig,
  processorProblems,
} from '../processors/processors.js';
import type { ScoreEnvV1 } from '../spec/score-spec.js';
import { normalizeLabel } from '../text/labels.js';
import type { LoadedScore, ScoreDependency } from './loaded-scorecard.js';
import { nameClash } from './lookalike-names.js';
import { type PluginResolver, parseScoreClass } from './plugin-resolver.js';
import type { PreflightData, PreflightScore } from './preflight.js';
import type { ScoreNode } from './preflight-selection.js';
import { sameLabels } from './same-labels.js';
import {
  type ConditionConfig,
  commonScoreFieldNames,
  conditionSchema,
  dataSchema,
  type ScoreFile,
  scoreSchema,
} from './scorecard-schema.js';
import { issueProblems, type SourcePositions } from './source-positions.js';
import { speakerUses } from './speaker-uses.js';

// The scorecard loader's per-score steps: read each score's common fields, resolve its class and
// settings, and describe it for the checks before a run.

function kindSettings(raw: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!commonScoreFieldNames.has(key)) settings[key] = value;
  }
  return settings;
}

/**
 * A score may be named `__proto__` (names are data), but zod's records skip that key, neither
 * checking nor keeping it: the map's names are read from the file and that key's condition is
 * checked here, its problems reported at its place.
 */
function conditionEntries(
  parsed: Record<string, ConditionConfig>,
  rawScore: unknown,
  report: (path: (string | number)[], message: string) => void,
): [string, ConditionConfig][] {
  const raw = (rawScore as { depends_on?: unknown }).depends_on;
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, '__proto__'))
    return Object.entries(parsed);
  return Object.entries(raw).flatMap(([name, condition]): [string, ConditionConfig][] => {
    if (Object.hasOwn(parsed, name)) return [[name, parsed[name]!]];
    const checked = conditionSchema.safeParse(condition);
    if (checked.success) return [[name, checked.data]];
    for (const issue of checked.error.issues)
      report([name, ...(issue.path as (string | number)[])], issue.message);
    return [];
  });
}

function dependencies(
  score: ScoreFile,
  rawScore: unknown,
  report: (path: (string | number)[], message: string) => void,
): ScoreDependency[] {
  const dependsOn = score.depends_on;
  if (!dependsOn) return [];
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => ({ score: name }));
  return conditionEntries(dependsOn, rawScore, report).map(([name, condition]) => ({
    score: name,
    ...(condition.operator && condition.value !== undefined
      ? {
          operator: condition.operator,
          values: Array.isArray(condition.value) ? condition.value : [condition.value],
        }
      : {}),
    ...(condition.confidence_below === undefined
      ? {}
      : { confidenceBelow: condition.confidence_below }),
    ...(condition.optional ? { optional: true } : {}),
  }));
}

function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

export interface EntryContext {
  resolver: PluginResolver;
  baseDir: string;
  cacheDir: string;
  positions: SourcePositions;
  processors: readonly ProcessorConfig[];
}

/** Every score whose common fields parse (duplicates reported and left out), with its name's index. */
export function scoreNodes(
  raw: unknown,
  positions: SourcePositions,
  problems: ConfigProblem[],
): { nodes: (ScoreNode & { score: ScoreFile })[]; names: Map<string, number> } {
  const rawScores = Array.isArray((raw as { scores?: unknown })?.scores)
    ? ((raw as { scores: unknown[] }).scores as unknown[])
    : [];
  const nodes: (ScoreNode & { score: ScoreFile })[] = [];
  const names = new Map<string, number>();
  const looks = new Map<string, string>();
  for (const [index, rawScore] of rawScores.entries()) {
    const parsed = scoreSchema.safeParse(rawScore);
    if (!parsed.success) continue; // already reported by the scorecard pass
    const score = parsed.data;
    const clash = nameClash(score.name, names, looks);
    if (clash) {
      problems.push(positions.problem(['scores', index, 'name'], clash));
      continue;
    }
    names.set(score.name, index);
    nodes.push({
      index,
      name: score.name,
      dependsOn: dependencies(score, rawScore, (path, message) =>
        problems.push(positions.problem(['scores', index, 'depends_on', ...path], message)),
      ),
      labels: score.labels,
      score,
    });
  }
  return { nodes, names };
}

/** Resolves a score's class and settings; its problems go to `problems`. */
export async function resolveEntry(
  node: ScoreNode & { score: ScoreFile },
  context: EntryContext,
  problems: ConfigProblem[],
): Promise<IndexedScore | undefined> {
  const { score, index } = node;
  const { positions } = context;
  const at = ['scores', index] as const;
  const parsedClass = parseScoreClass(score.class);
  if (typeof parsedClass === 'string') {
    problems.push(positions.problem([...at, 'class'], parsedClass));
    return undefined;
  }
  const factory = await context.resolver.factory(parsedClass);
  if (typeof factory === 'string') {
    problems.push(positions.problem([...at, 'class'], factory));
    return undefined;
  }
  const settingsResult = factory.settingsSchema.safeParse(kindSettings(score));
  if (!settingsResult.success) {
    const knownSettings = () => [...commonScoreFieldNames, ...schemaKeys(factory.settingsSchema)];
    problems.push(...issueProblems(settingsResult.error.issues, positions, at, knownSettings));
    return undefined;
  }
  const produced = factory.outputLabels?.(settingsResult.data, scoreEnv(node, context));
  const labels = score.labels ?? produced;
  if (!labels || labels.length === 0) {
    problems.push(
      positions.problem(
        [...at, 'labels'],
        `required for ${score.class}: list the labels the score can give`,
      ),
    );
    return undefined;
  }
  const ownProcessors = bindProcessors(score.processors ?? [], context.baseDir);
  for (const problem of processorProblems(ownProcessors))
    problems.push(
      positions.problem([...at, 'processors', problem.index, problem.field], problem.message),
    );
  problems.push(...sameLabels(labels, score.normalize_labels, positions, at));
  const declared = new Set(labels.map((label) => normalizeLabel(label)));
  for (const label of produced ?? []) {
    if (!declared.has(normalizeLabel(label))) {
      problems.push(
        positions.problem(
          [...at, 'labels'],
          `the score can produce "${label}", which is not among its labels (${labels.join(', ')})`,
        ),
      );
    }
  }
  return {
    index,
    name: score.name,
    className: score.class,
    labels,
    labelColumn: score.label_column,
    gold: score.gold ?? 'dataset',
    dependsOn: node.dependsOn,
    processors: [...bindProcessors(context.processors, context.baseDir), ...ownProcessors],
    disabled: score.disabled ?? false,
    normalization: score.normalize_labels,
    settings: settingsResult.data,
    factory,
    code: context.resolver.codeOf(parsedClass.packageName),
    score: undefined,
    fingerprint: '',
  };
}

export function scoreEnv(
  node: ScoreNode & { score: ScoreFile },
  context: EntryContext,
  labels?: readonly string[],
): ScoreEnvV1 {
  return {
    name: node.name,
    labels: labels ?? node.score.labels ?? [],
    baseDir: context.baseDir,
    cacheDir: context.cacheDir,
    dependsOn: node.dependsOn.map((dependency) => dependency.score),
  };
}

/** The score as the checks before a run see it, with what its factory says it reads. */
export function preflightScore(
  node: ScoreNode & { score: ScoreFile },
  entry: IndexedScore | undefined,
  context: EntryContext,
): PreflightScore {
  const check: PreflightScore = {
    index: node.index,
    name: node.name,
    labels: node.labels,
    labelColumn: node.score.label_column,
    gold: node.score.gold ?? 'dataset',
    normalization: node.score.normalize_labels,
    disabled: node.score.disabled ?? false,
    dependsOn: node.dependsOn.map((dependency) => dependency.score),
    needs: undefined,
    speakerUses: speakerUses(node.score.processors, ['scores', node.index, 'processors']),
  };
  if (!entry?.factory.needs) return check;
  try {
    check.needs = entry.factory.needs(entry.settings, scoreEnv(node, context, entry.labels));
  } catch (error) {
    check.needs = {
      problems: [{ path: '', message: `cannot check the settings: ${errorMessage(error)}` }],
    };
  }
  return check;
}

/** The dataset to check: `--data`, else (with `true`) the scorecard's `data.path`. */
export function dataTarget(
  checkData: string | boolean | undefined,
  raw: unknown,
  baseDir: string,
): PreflightData | undefined {
  if (!checkData) return undefined;
  const parsed = dataSchema.safeParse((raw as { data?: unknown } | null)?.data ?? {});
  const data = parsed.success ? parsed.data : {};
  const columns = {
    format: data.format,
    idColumn: data.id_column,
    textColumn: data.text_column,
    speakerUses: speakerUses((raw as { processors?: unknown } | null)?.processors, ['processors']),
  };
  if (typeof checkData === 'string')
    return { path: resolve(checkData), shownPath: checkData, fromScorecard: false, ...columns };
  if (!data.path) return undefined;
  return {
    path: resolve(baseDir, data.path),
    shownPath: data.path,
    fromScorecard: true,
    ...columns,
  };
}

/** A loaded score with its position in the file's `scores` list, for messages. */
export type IndexedScore = LoadedScore & { index: number };
