import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultCacheDir } from './cache-dir.js';
import { orderByDependencies } from './dependency-graph.js';
import { type ConfigProblem, errorMessage, InvalidConfigError } from './errors.js';
import { hashValue, sha256 } from './hash.js';
import { normalizeLabel } from './labels.js';
import type { LoadedScore, LoadedScorecard, ScoreDependency } from './loaded-scorecard.js';
import { PluginResolver, parseScoreClass } from './plugin-resolver.js';
import type { PluginV1, RunBudgetV1, ScoreEnvV1 } from './score-spec.js';
import {
  commonScoreFieldNames,
  type ScoreFile,
  scorecardSchema,
  scoreSchema,
} from './scorecard-schema.js';
import { issueProblems, readYaml, type SourcePositions } from './source-positions.js';
import { closest } from './suggest.js';

export interface LoadScorecardOptions {
  /** Score plugins to use before looking for installed packages. */
  plugins?: readonly PluginV1[];
  /** Extra folders to resolve score packages from (after the scorecard's folder and the cwd). */
  searchFrom?: readonly string[];
  /** Cache folder passed to factories; default the user's cache folder. */
  cacheDir?: string;
  /** Create the scores (load models, open clients); default true. */
  create?: boolean;
  /** Let scores reuse stored responses (LLM response cache); default true. */
  cache?: boolean;
  /** Resolves `models:/` URIs in model settings (see `ScoreEnvV1.resolveModel`). */
  resolveModel?: (uri: string) => Promise<string>;
  /** Requests in flight per score the user allows (see `ScoreEnvV1.requestConcurrency`). */
  requestConcurrency?: number;
  /** The run's spending limit, shared by its scores (see `ScoreEnvV1.runBudget`). */
  runBudget?: RunBudgetV1;
}

/** Reads, validates and prepares a scorecard file (YAML or JSON). Throws `InvalidConfigError`. */
export async function loadScorecard(
  path: string,
  options: LoadScorecardOptions = {},
): Promise<LoadedScorecard> {
  const file = resolve(path);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidConfigError([
      { file: path, path: '', message: `cannot read the scorecard: ${errorMessage(error)}` },
    ]);
  }
  return parseScorecard(source, { ...options, file, displayName: path });
}

export interface ParseScorecardOptions extends LoadScorecardOptions {
  /** Absolute path the source came from; relative paths in it resolve against its folder. */
  file: string;
  /** Name of the file in messages; default `file`. */
  displayName?: string;
}

function kindSettings(raw: Record<string, unknown>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!commonScoreFieldNames.has(key)) settings[key] = value;
  }
  return settings;
}

function dependencies(score: ScoreFile): ScoreDependency[] {
  const dependsOn = score.depends_on;
  if (!dependsOn) return [];
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => ({ score: name }));
  return Object.entries(dependsOn).map(([name, condition]) => ({
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

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'scorecard'
  );
}

/** Validates a scorecard given as text. Every problem is reported at once. */
export async function parseScorecard(
  source: string,
  options: ParseScorecardOptions,
): Promise<LoadedScorecard> {
  const displayName = options.displayName ?? options.file;
  const baseDir = dirname(options.file);
  const { raw, positions } = readYaml(source, displayName, 'scorecard');
  const checked = scorecardSchema.safeParse(raw);
  const problems: ConfigProblem[] = checked.success
    ? []
    : issueProblems(checked.error.issues, positions, [], () => Object.keys(scorecardSchema.shape));

  const resolver = new PluginResolver({
    plugins: options.plugins,
    searchFrom: [baseDir, process.cwd(), ...(options.searchFrom ?? [])],
  });
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const rawScores = Array.isArray((raw as { scores?: unknown })?.scores)
    ? ((raw as { scores: unknown[] }).scores as unknown[])
    : [];
  const entries: IndexedScore[] = [];
  const seenNames = new Map<string, number>();

  for (const [index, rawScore] of rawScores.entries()) {
    const parsed = scoreSchema.safeParse(rawScore);
    if (!parsed.success) continue; // already reported by the scorecard pass
    const score = parsed.data;
    const at = ['scores', index] as const;
    if (seenNames.has(score.name)) {
      problems.push(positions.problem([...at, 'name'], `duplicate score name "${score.name}"`));
      continue;
    }
    seenNames.set(score.name, index);
    const parsedClass = parseScoreClass(score.class);
    if (typeof parsedClass === 'string') {
      problems.push(positions.problem([...at, 'class'], parsedClass));
      continue;
    }
    const factory = await resolver.factory(parsedClass);
    if (typeof factory === 'string') {
      problems.push(positions.problem([...at, 'class'], factory));
      continue;
    }
    const settingsResult = factory.settingsSchema.safeParse(kindSettings(score));
    if (!settingsResult.success) {
      const knownSettings = () => [...commonScoreFieldNames, ...schemaKeys(factory.settingsSchema)];
      problems.push(...issueProblems(settingsResult.error.issues, positions, at, knownSettings));
      continue;
    }
    const dependsOn = dependencies(score);
    const env: ScoreEnvV1 = {
      name: score.name,
      labels: score.labels ?? [],
      baseDir,
      cacheDir,
      dependsOn: dependsOn.map((dependency) => dependency.score),
    };
    const produced = factory.outputLabels?.(settingsResult.data, env);
    const labels = score.labels ?? produced;
    if (!labels || labels.length === 0) {
      problems.push(
        positions.problem(
          [...at, 'labels'],
          `required for ${score.class}: list the labels the score can give`,
        ),
      );
      continue;
    }
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
    entries.push({
      index,
      name: score.name,
      className: score.class,
      labels,
      labelColumn: score.label_column,
      dependsOn,
      processors: [...(checked.data?.processors ?? []), ...(score.processors ?? [])],
      disabled: score.disabled ?? false,
      normalization: score.normalize_labels,
      settings: settingsResult.data,
      factory,
      score: undefined,
      fingerprint: '',
    });
  }

  problems.push(...dependencyProblems(entries, seenNames, positions));
  const { order, cycles } = orderByDependencies(
    new Map(entries.map((entry) => [entry.name, entry.dependsOn.map((item) => item.score)])),
  );
  for (const cycle of cycles) {
    const first = entries.find((entry) => entry.name === cycle[0])!;
    problems.push(
      positions.problem(
        ['scores', first.index, 'depends_on'],
        `dependency cycle: ${cycle.join(' → ')}`,
      ),
    );
  }
  if (problems.length > 0) {
    problems.sort((left, right) => (left.line ?? 0) - (right.line ?? 0));
    throw new InvalidConfigError(problems);
  }

  const card = checked.data!;
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const scores = order.map((name) => byName.get(name)!);
  if (options.create ?? true)
    await createScores(scores, {
      baseDir,
      cacheDir,
      cache: options.cache ?? true,
      positions,
      resolveModel: options.resolveModel,
      requestConcurrency: options.requestConcurrency,
      runBudget: options.runBudget,
    });
  for (const entry of scores) entry.fingerprint = effectiveFingerprint(entry);
  return {
    name: card.name,
    key: card.key ?? slug(card.name),
    description: card.description,
    path: options.file,
    baseDir,
    hash: sha256(source),
    source,
    data: card.data,
    scores: scores.map(({ index: _index, ...entry }) => entry),
  };
}

function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function dependencyProblems(
  entries: readonly IndexedScore[],
  names: ReadonlyMap<string, number>,
  positions: SourcePositions,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  for (const entry of entries) {
    for (const dependency of entry.dependsOn) {
      const at = ['scores', entry.index, 'depends_on'];
      if (!names.has(dependency.score)) {
        const guess = closest(dependency.score, names.keys());
        const hint = guess ? `; did you mean "${guess}"?` : '';
        problems.push(positions.problem(at, `unknown score "${dependency.score}"${hint}`));
        continue;
      }
      const upstream = byName.get(dependency.score);
      if (!upstream || !dependency.values) continue;
      const known = new Set(upstream.labels.map((label) => normalizeLabel(label)));
      for (const value of dependency.values) {
        if (!known.has(normalizeLabel(value))) {
          problems.push(
            positions.problem(
              [...at, dependency.score],
              `"${value}" is not a label of ${dependency.score} (${upstream.labels.join(', ')})`,
            ),
          );
        }
      }
    }
  }
  return problems;
}

/** A loaded score with its position in the file's `scores` list, for messages. */
type IndexedScore = LoadedScore & { index: number };

/** `patterns.1.when` → `['patterns', 1, 'when']`: numbers index lists. */
function pathSegments(path: string): (string | number)[] {
  return path
    .split('.')
    .filter(Boolean)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

async function createScores(
  scores: IndexedScore[],
  context: {
    baseDir: string;
    cacheDir: string;
    cache: boolean;
    positions: SourcePositions;
    resolveModel: ((uri: string) => Promise<string>) | undefined;
    requestConcurrency: number | undefined;
    runBudget: RunBudgetV1 | undefined;
  },
): Promise<void> {
  const problems: ConfigProblem[] = [];
  for (const entry of scores) {
    const env: ScoreEnvV1 = {
      name: entry.name,
      labels: entry.labels,
      baseDir: context.baseDir,
      cacheDir: context.cacheDir,
      cache: context.cache,
      dependsOn: entry.dependsOn.map((dependency) => dependency.score),
    };
    if (context.resolveModel) env.resolveModel = context.resolveModel;
    if (context.requestConcurrency) env.requestConcurrency = context.requestConcurrency;
    if (context.runBudget) env.runBudget = context.runBudget;
    try {
      entry.score = await entry.factory.create(entry.settings, env);
    } catch (error) {
      const at = ['scores', entry.index];
      if (error instanceof InvalidConfigError) {
        for (const problem of error.problems) {
          problems.push(
            context.positions.problem([...at, ...pathSegments(problem.path)], problem.message),
          );
        }
      } else {
        problems.push(
          context.positions.problem(
            at,
            `cannot create score "${entry.name}": ${errorMessage(error)}`,
          ),
        );
      }
    }
  }
  if (problems.length > 0) {
    problems.sort((left, right) => (left.line ?? 0) - (right.line ?? 0));
    throw new InvalidConfigError(problems);
  }
}

function effectiveFingerprint(entry: LoadedScore): string {
  return hashValue({
    class: entry.className,
    score: entry.score?.fingerprint ?? hashValue(entry.settings),
    labels: entry.labels,
    processors: entry.processors,
    dependsOn: entry.dependsOn,
  });
}
