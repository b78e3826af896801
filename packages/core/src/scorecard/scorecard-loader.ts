import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultCacheDir } from '../cache/cache-dir.js';
import { type ConfigProblem, errorMessage, InvalidConfigError } from '../common/errors.js';
import { sha256 } from '../common/hash.js';
import { registerUrlCredentialsIn } from '../common/secrets.js';
import { orderByDependencies } from '../engine/dependency-graph.js';
import type { PluginV1, RunBudgetV1 } from '../spec/score-spec.js';
import { applyCalibrations } from './calibrated-score.js';
import type { LoadedScorecard } from './loaded-scorecard.js';
import { PluginResolver } from './plugin-resolver.js';
import { type PreflightScore, preflight } from './preflight.js';
import {
  aboutUnselectedScore,
  cycleProblems,
  dependencyProblems,
  selectNodes,
} from './preflight-selection.js';
import { processorPackageProblems, sharedProcessorProblems } from './processor-packages.js';
import { reservedKeyProblems } from './reserved-keys.js';
import { applySampling, sampledIndexes } from './sampled-score.js';
import { createScores, effectiveFingerprint } from './score-creation.js';
import {
  dataTarget,
  type EntryContext,
  type IndexedScore,
  preflightScore,
  resolveEntry,
  scoreNodes,
} from './scorecard-entries.js';
import { knownKeys, scorecardSchema } from './scorecard-schema.js';
import { issueProblems, readYaml } from './source-positions.js';

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
  /** `batch`: scores that can use a provider's Batch API do (see `ScoreEnvV1.execution`). */
  execution?: 'batch';
  /** Processes running the job at once: each keeps its share of the limits (see `ScoreEnvV1.jobTasks`). */
  jobTasks?: number;
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
    await checkScorecardSize(file, path);
    source = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InvalidConfigError) throw error;
    throw new InvalidConfigError([
      { file: path, path: '', message: `cannot read the scorecard: ${errorMessage(error)}` },
    ]);
  }
  return parseScorecard(source, { ...options, file, displayName: path });
}

/** The largest scorecard file read, in bytes (10 MiB: about 350,000 keyword phrases). */
export const maxScorecardBytes = 10 * 1024 * 1024;

/** Refuses a scorecard file over `maxScorecardBytes` before reading it. */
async function checkScorecardSize(file: string, shown: string): Promise<void> {
  const { size } = await stat(file);
  if (size <= maxScorecardBytes) return;
  const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  throw new InvalidConfigError([
    {
      file: shown,
      path: '',
      message: `the scorecard is ${megabytes(size)}, over the ${megabytes(maxScorecardBytes)} limit for a scorecard file; split it into several scorecards or shorten its lists`,
    },
  ]);
}

export interface ParseScorecardOptions extends LoadScorecardOptions {
  /** Absolute path the source came from; relative paths in it resolve against its folder. */
  file: string;
  /** Name of the file in messages; default `file`. */
  displayName?: string;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'scorecard'
  );
}

// Over 80 lines: the loader's steps in order (read, check, preflight, create, calibrate) share one problem list.
/** Validates a scorecard given as text. Every problem is reported at once. */
export async function parseScorecard(
  source: string,
  options: ParseScorecardOptions,
): Promise<LoadedScorecard> {
  const displayName = options.displayName ?? options.file;
  const baseDir = dirname(options.file);
  const { raw, positions } = readYaml(source, displayName, 'scorecard');
  // Reported with every other problem (no stage hides another); nothing is created then.
  const reserved = reservedKeyProblems(raw, positions);
  registerUrlCredentialsIn(raw); // a password in a URL setting is redacted wherever it goes
  const checked = scorecardSchema.safeParse(raw);
  // Said once, as reserved keys are: the "not installed" of the same place is dropped.
  const sayOnce = [...reserved, ...processorPackageProblems(raw, positions)];
  const problems: ConfigProblem[] = [...sayOnce];
  if (!checked.success)
    problems.push(...issueProblems(checked.error.issues, positions, [], (path) => knownKeys(path)));

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
  const { entries, checks, order, names } = await checkScores(
    raw,
    options.scores,
    context,
    problems,
  );
  const create = (options.create ?? true) && reserved.length === 0;
  const found = await preflight({
    scores: checks,
    allNames: new Set(names.keys()),
    positions,
    environment: options.checkEnvironment ?? create,
    data: dataTarget(options.checkData, raw, baseDir),
    sampleRows: options.sampleRows,
  });
  problems.push(...found.problems);
  // The scorecard's own processors (a semantic model file or package missing): each score's are
  // checked with the score; these were found only at the first item, every item failing.
  problems.push(...sharedProcessorProblems(context.processors, baseDir, positions));
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
        execution: options.execution,
        jobTasks: options.jobTasks,
        runBudget: options.runBudget,
        // Self-consistency: every sample a fresh call, never a response cached from another.
        uncached: sampledIndexes(raw),
      })),
    );
  problems.push(...applySampling(scores, raw, positions));
  problems.push(
    ...(await applyCalibrations(scores, raw, { baseDir, positions, onWarning: options.onWarning })),
  );
  if (problems.length > 0) {
    await Promise.allSettled(scores.map((entry) => entry.score?.close?.()));
    // A reserved key is said once: the schema's own word on the same place is dropped.
    const reservedAt = new Set(sayOnce.map((problem) => problem.path));
    const said = problems.filter(
      (problem) => sayOnce.includes(problem) || !reservedAt.has(problem.path),
    );
    said.sort((left, right) => (left.line ?? 0) - (right.line ?? 0));
    throw new InvalidConfigError(said);
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

/**
 * One pass over the scores: every score whose common fields parse takes part in every check, so
 * no problem (an unknown class, a typo) hides another (a cycle through that score). With `wanted`
 * (`--score`), only those scores and their dependencies, and problems of the others are dropped.
 */
async function checkScores(
  raw: unknown,
  wanted: readonly string[] | undefined,
  context: EntryContext,
  problems: ConfigProblem[],
): Promise<{
  entries: IndexedScore[];
  checks: PreflightScore[];
  order: string[];
  names: Map<string, number>;
}> {
  const { positions } = context;
  const { nodes, names } = scoreNodes(raw, positions, problems);
  const selection = selectNodes(nodes, wanted);
  const kept = wanted?.length
    ? problems.filter((problem) => !aboutUnselectedScore(problem, selection.selected))
    : [...problems];
  problems.length = 0;
  problems.push(...selection.problems, ...kept);
  const entries: IndexedScore[] = [];
  const checks: PreflightScore[] = [];
  const selected = nodes.filter((node) => selection.selected.has(node.index));
  for (const node of selected) {
    const entry = await resolveEntry(node, context, problems);
    if (entry) {
      node.labels = entry.labels;
      entries.push(entry);
    }
    checks.push(preflightScore(node, entry, context));
  }
  problems.push(...dependencyProblems(selected, names, positions));
  const { order, cycles } = orderByDependencies(
    new Map(selected.map((node) => [node.name, node.dependsOn.map((item) => item.score)])),
  );
  problems.push(...cycleProblems(cycles, selected, positions));
  return { entries, checks, order, names };
}
