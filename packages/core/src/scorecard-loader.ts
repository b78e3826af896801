import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultCacheDir } from './cache-dir.js';
import { orderByDependencies } from './dependency-graph.js';
import { type ConfigProblem, errorMessage, InvalidConfigError } from './errors.js';
import { hashValue, sha256 } from './hash.js';
import { normalizeLabel } from './labels.js';
import type { LoadedScore, LoadedScorecard, ScoreDependency } from './loaded-scorecard.js';
import { PluginResolver, parseScoreClass } from './plugin-resolver.js';
import { type PreflightData, type PreflightScore, preflight, settingPath } from './preflight.js';
import {
  aboutUnselectedScore,
  cycleProblems,
  dependencyProblems,
  type ScoreNode,
  selectNodes,
} from './preflight-selection.js';
import type { ProcessorConfig } from './processors.js';
import { reservedKeyProblems } from './reserved-keys.js';
import type { PluginV1, RunBudgetV1, ScoreEnvV1 } from './score-spec.js';
import {
  commonScoreFieldNames,
  type ConditionConfig,
  conditionSchema,
  dataSchema,
  type ScoreFile,
  scorecardSchema,
  scoreSchema,
} from './scorecard-schema.js';
import { registerUrlCredentialsIn } from './secrets.js';
import { issueProblems, readYaml, type SourcePositions } from './source-positions.js';

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
  /**
   * Load only these scores and what they depend on (`--score`): the others' classes, settings
   * and models are neither checked nor created, and they are left out of the loaded scorecard.
   */
  scores?: readonly string[];
  /**
   * Check the scorecard against a dataset too, before anything is scored (columns, metadata
   * fields, gold labels): this path (relative to the cwd), or with `true` the scorecard's
   * `data.path` when it has one. Its problems are reported with the scorecard's.
   */
  checkData?: string | boolean;
  /** Check that the environment variables scores need (API keys) are set; default when creating. */
  checkEnvironment?: boolean;
  /** Receives warnings: a score without a gold column (unlabeled), a few stray gold labels. */
  onWarning?: (warning: ConfigProblem) => void;
  /** Rows of the dataset read by `checkData`; default 10,000. */
  sampleRows?: number;
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

/**
 * A score may be named `__proto__` (names are data): zod's records assign keys, which drops that
 * one, so the map's names are read from the file and that key's condition (already checked by the
 * schema) is parsed again.
 */
function conditionEntries(
  parsed: Record<string, ConditionConfig>,
  rawScore: unknown,
): [string, ConditionConfig][] {
  const raw = (rawScore as { depends_on?: unknown }).depends_on;
  if (typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, '__proto__'))
    return Object.entries(parsed);
  return Object.entries(raw).map(([name, condition]) => [
    name,
    Object.hasOwn(parsed, name) ? parsed[name]! : conditionSchema.parse(condition),
  ]);
}

function dependencies(score: ScoreFile, rawScore: unknown): ScoreDependency[] {
  const dependsOn = score.depends_on;
  if (!dependsOn) return [];
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => ({ score: name }));
  return conditionEntries(dependsOn, rawScore).map(([name, condition]) => ({
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
  const reserved = reservedKeyProblems(raw, positions);
  if (reserved.length > 0) throw new InvalidConfigError(reserved);
  registerUrlCredentialsIn(raw); // a password in a URL setting is redacted wherever it goes
  const checked = scorecardSchema.safeParse(raw);
  const problems: ConfigProblem[] = checked.success
    ? []
    : issueProblems(checked.error.issues, positions, [], () => Object.keys(scorecardSchema.shape));

  const resolver = new PluginResolver({
    plugins: options.plugins,
    searchFrom: [baseDir, process.cwd(), ...(options.searchFrom ?? [])],
  });
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const context: EntryContext = {
    resolver,
    baseDir,
    cacheDir,
    positions,
    processors: checked.data?.processors ?? [],
  };
  // One pass: every score whose common fields parse takes part in every check below, so no
  // problem (an unknown class, a typo) hides another (a cycle through that score).
  const { nodes, names } = scoreNodes(raw, positions, problems);
  const selection = selectNodes(nodes, options.scores);
  const kept = options.scores?.length
    ? problems.filter((problem) => !aboutUnselectedScore(problem, selection.selected))
    : [...problems];
  problems.length = 0;
  problems.push(...selection.problems, ...kept);
  const entries: IndexedScore[] = [];
  const checks: PreflightScore[] = [];
  for (const node of nodes) {
    if (!selection.selected.has(node.index)) continue;
    const entry = await resolveEntry(node, context, problems);
    if (entry) {
      node.labels = entry.labels;
      entries.push(entry);
    }
    checks.push(preflightScore(node, entry, context));
  }
  const selected = nodes.filter((node) => selection.selected.has(node.index));
  problems.push(...dependencyProblems(selected, names, positions));
  const { order, cycles } = orderByDependencies(
    new Map(selected.map((node) => [node.name, node.dependsOn.map((item) => item.score)])),
  );
  problems.push(...cycleProblems(cycles, selected, positions));
  const create = options.create ?? true;
  const found = await preflight({
    scores: checks,
    allNames: new Set(names.keys()),
    positions,
    environment: options.checkEnvironment ?? create,
    data: dataTarget(options.checkData, raw, baseDir),
    sampleRows: options.sampleRows,
  });
  problems.push(...found.problems);
  for (const warning of found.warnings) options.onWarning?.(warning);

  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const scores = order.flatMap((name) => byName.get(name) ?? []);
  if (create)
    problems.push(
      ...(await createScores(scores, {
        baseDir,
        cacheDir,
        cache: options.cache ?? true,
        positions,
        resolveModel: options.resolveModel,
        requestConcurrency: options.requestConcurrency,
        runBudget: options.runBudget,
      })),
    );
  if (problems.length > 0) {
    await Promise.allSettled(scores.map((entry) => entry.score?.close?.()));
    problems.sort((left, right) => (left.line ?? 0) - (right.line ?? 0));
    throw new InvalidConfigError(problems);
  }
  // With --score, a schema problem in a score left out does not count: read the rest alone.
  const card =
    checked.data ??
    scorecardSchema
      .omit({ scores: true })
      .parse(Object.fromEntries(Object.entries(raw as object).filter(([key]) => key !== 'scores')));
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

interface EntryContext {
  resolver: PluginResolver;
  baseDir: string;
  cacheDir: string;
  positions: SourcePositions;
  processors: readonly ProcessorConfig[];
}

/** Every score whose common fields parse (duplicates reported and left out), with its name's index. */
function scoreNodes(
  raw: unknown,
  positions: SourcePositions,
  problems: ConfigProblem[],
): { nodes: (ScoreNode & { score: ScoreFile })[]; names: Map<string, number> } {
  const rawScores = Array.isArray((raw as { scores?: unknown })?.scores)
    ? ((raw as { scores: unknown[] }).scores as unknown[])
    : [];
  const nodes: (ScoreNode & { score: ScoreFile })[] = [];
  const names = new Map<string, number>();
  for (const [index, rawScore] of rawScores.entries()) {
    const parsed = scoreSchema.safeParse(rawScore);
    if (!parsed.success) continue; // already reported by the scorecard pass
    const score = parsed.data;
    if (names.has(score.name)) {
      problems.push(
        positions.problem(['scores', index, 'name'], `duplicate score name "${score.name}"`),
      );
      continue;
    }
    names.set(score.name, index);
    nodes.push({
      index,
      name: score.name,
      dependsOn: dependencies(score, rawScore),
      labels: score.labels,
      score,
    });
  }
  return { nodes, names };
}

/** Resolves a score's class and settings; its problems go to `problems`. */
async function resolveEntry(
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
    dependsOn: node.dependsOn,
    processors: [...context.processors, ...(score.processors ?? [])],
    disabled: score.disabled ?? false,
    normalization: score.normalize_labels,
    settings: settingsResult.data,
    factory,
    score: undefined,
    fingerprint: '',
  };
}

function scoreEnv(
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
function preflightScore(
  node: ScoreNode & { score: ScoreFile },
  entry: IndexedScore | undefined,
  context: EntryContext,
): PreflightScore {
  const check: PreflightScore = {
    index: node.index,
    name: node.name,
    labels: node.labels,
    labelColumn: node.score.label_column,
    normalization: node.score.normalize_labels,
    disabled: node.score.disabled ?? false,
    dependsOn: node.dependsOn.map((dependency) => dependency.score),
    needs: undefined,
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
function dataTarget(
  checkData: string | boolean | undefined,
  raw: unknown,
  baseDir: string,
): PreflightData | undefined {
  if (!checkData) return undefined;
  const parsed = dataSchema.safeParse((raw as { data?: unknown } | null)?.data ?? {});
  const data = parsed.success ? parsed.data : {};
  const columns = { format: data.format, idColumn: data.id_column, textColumn: data.text_column };
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
type IndexedScore = LoadedScore & { index: number };

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
): Promise<ConfigProblem[]> {
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
            context.positions.problem([...at, ...settingPath(problem.path)], problem.message),
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
  return problems;
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
