import type { ZodType } from 'zod';

/** Status of one score's answer for one item. */
export type ScoreStatusV1 = 'ok' | 'skipped' | 'error' | 'disabled';

/** Tokens, calls and money a score spent on one item. */
export interface ScoreUsageV1 {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  /** Number of remote or model calls made. */
  calls?: number;
  /** Attempts repeated after retryable failures (429, 5xx, timeouts). */
  retries?: number;
  /**
   * Model answers read from the score's own response cache instead of a call (not in `calls`).
   * An answer that needed no call and read at least one is a result from the cache (`cached`).
   */
  cacheHits?: number;
  /**
   * Cost in US dollars. `null`: calls were made at an unknown price (say which model in
   * `unpricedModel`); absent: nothing paid (no calls, a local model).
   */
  costUsd?: number | null;
  /** The model whose calls have no price, when `costUsd` is null (`openai gpt-5-mini`). */
  unpricedModel?: string;
  /**
   * Some call's tokens are not known (an endpoint that reported no usage, a hedged call's aborted
   * attempt): `inputTokens` and `outputTokens` count the known ones only, and results say unknown.
   */
  tokensUnknown?: boolean;
}

/** Why a score could not answer for an item. */
export interface ScoreErrorV1 {
  message: string;
  code?: string;
  /** True when trying again later may succeed (timeouts, 429, 5xx). */
  retryable?: boolean;
}

/** One score's answer for one item. */
export interface ScoreOutputV1 {
  /** The label, one of the score's labels; null when there is no answer. */
  value: string | null;
  status: ScoreStatusV1;
  explanation?: string;
  /** Confidence in the chosen label, 0..1. */
  confidence?: number;
  /** Probability per label, 0..1. */
  probabilities?: Record<string, number>;
  usage?: ScoreUsageV1;
  /** Free-form, JSON-serialisable record of how the answer was reached. */
  trace?: unknown;
  error?: ScoreErrorV1;
}

/** The item as a score sees it: text after processors, and the outputs of its upstream scores. */
export interface ScoreItemV1 {
  id: string;
  text: string;
  metadata: Readonly<Record<string, unknown>>;
  results: Readonly<Record<string, ScoreOutputV1>>;
}

/** What the engine passes to every call. */
export interface ScoreContextV1 {
  /** Name of the scorecard being run. */
  scorecard: string;
  /**
   * The run folder, when the run has one (`plexus evaluate`): where a score keeps what a resumed
   * run needs (a provider batch's ids).
   */
  runDir?: string;
  /**
   * Aborted when the run stops starting work (Ctrl-C, SIGTERM): a score should send no new call
   * and end each item it has not started with an error output of code `not_started`, which the
   * engine leaves unscored (a resume scores it). Calls already sent finish and are stored.
   */
  drain?: AbortSignal;
}

export interface DoScoreOptionsV1 {
  items: readonly ScoreItemV1[];
  signal: AbortSignal;
  context: ScoreContextV1;
  /**
   * Optional: a score that finishes items one by one (LLM calls fanned out) may hand each output
   * over as soon as it is ready; the engine stores it at once (a crash then loses no paid call).
   * The array `doScore` returns must still hold every output.
   */
  onOutput?: (index: number, output: ScoreOutputV1) => void;
}

/**
 * A score: answers one question about items with one label out of a closed set.
 * The engine calls `doScore`; users never do.
 */
export interface ScoreV1 {
  readonly specificationVersion: 'v1';
  /** `<plugin>/<kind>`, e.g. `heuristic/keywords`. */
  readonly kind: string;
  readonly name: string;
  readonly labels?: readonly string[];
  /**
   * Hash of everything that changes outputs: settings, prompts, model bytes. (The loader adds the
   * package's name, version and code hash: a code change need not change it.)
   */
  readonly fingerprint: string;
  /** What the score runs on, for people: a model file, or a provider and model name. */
  readonly model?: string;
  /** Largest batch `doScore` accepts; default 1. */
  readonly maxBatchSize?: number;
  /**
   * Whether the engine should keep outputs in the persistent cache; default true.
   * Scores that are cheaper to recompute than to read from disk (rules) say false.
   */
  readonly cacheable?: boolean;
  /**
   * For a score that collects many items before any answers (a provider's Batch API): up to this
   * many of its items are handed to it at once, in as many `doScore` calls as they take (the
   * engine's window grows to it, and `concurrency` does not bound its calls).
   */
  readonly collects?: number;
  /** One output per item, in the same order. */
  doScore(options: DoScoreOptionsV1): Promise<ScoreOutputV1[]>;
  /** Releases sessions, workers or connections. */
  close?(): Promise<void>;
}

/** What a factory gets besides its settings. */
export interface ScoreEnvV1 {
  /** Name of the score in the scorecard. */
  name: string;
  /** Labels the scorecard declares for the score. */
  labels: readonly string[];
  /** Folder of the scorecard file: relative paths in settings resolve against it. */
  baseDir: string;
  /** Folder for caches (downloaded models, responses). */
  cacheDir: string;
  /** Whether scores may reuse stored responses (false with `--no-cache`); default true. */
  cache?: boolean;
  /** Names of the scores this score depends on. */
  dependsOn: readonly string[];
  /**
   * Turns a `models:/<name>@<alias>` or `models:/<name>/<version>` URI into a local file path
   * (downloaded once); present when a model registry (MLflow) is configured.
   */
  resolveModel?: (uri: string) => Promise<string>;
  /**
   * Requests in flight the user allows per score (`plexus evaluate --concurrency N`); remote scores
   * use it unless their own settings set a lower limit.
   */
  requestConcurrency?: number;
  /**
   * `batch` (`plexus evaluate --batch`): remote scores whose provider has a Batch API use it
   * unless their settings say `execution: sync`.
   */
  execution?: 'batch';
  /**
   * Processes running the same job at once (Spark tasks): a score's request limits
   * (`max_concurrency`, `requests_per_minute`, `tokens_per_minute`) are for the whole job, and
   * each process keeps its share of them (divided by this). Default 1.
   */
  jobTasks?: number;
  /**
   * The run's spending limit (`plexus evaluate --max-usd/--max-tokens`), one object shared by
   * every score of the run: paid scores stop starting calls once it is spent.
   */
  runBudget?: RunBudgetV1;
}

/** A run's spending limit. */
export interface RunBudgetV1 {
  maxUsd?: number;
  maxTokens?: number;
}

/** A labelled training item, after the score's processors. */
export interface TrainItemV1 {
  id: string;
  text: string;
  metadata: Readonly<Record<string, unknown>>;
  /** The gold label, one of the score's declared labels. */
  label: string;
}

export interface TrainOptionsV1<Settings> {
  settings: Settings;
  env: ScoreEnvV1;
  items: readonly TrainItemV1[];
  /** Write the model into this folder instead of where the settings point. */
  outDir?: string;
  signal?: AbortSignal;
  /** Progress messages for the user (one line each). */
  onProgress?: (message: string) => void;
}

export interface TrainResultV1<Settings> {
  /** Absolute path of the written model file. */
  modelPath: string;
  /** Settings that load the trained model (the model setting pointing at `modelPath`). */
  settings: Settings;
  /** Items left out of training, with why (for example a missing numeric field). */
  problems: readonly { id: string; message: string }[];
  /** One-line facts about the model for the user (features, tree sizes). */
  facts: readonly string[];
}

/** One thing a score reads, with the setting that names it. */
export interface ScoreNeedV1 {
  /** Dotted path of the setting inside the score: `field`, `prompt`, `features.numeric_fields.1`. */
  path: string;
  /** The metadata field (a dotted path reads into nested values; its first part is the column), score or variable. */
  name: string;
}

/** What a score reads (see `ScoreFactoryV1.needs`). */
export interface ScoreNeedsV1 {
  /** Metadata fields: dataset columns other than the id and text columns. */
  fields?: readonly ScoreNeedV1[];
  /** Upstream scores whose results the score reads (`results["S"]`); they must be in depends_on. */
  results?: readonly ScoreNeedV1[];
  /** Environment variables that must be set when the score is created (an API key): `name` is the variable. */
  environment?: readonly (ScoreNeedV1 & { why: string })[];
  /** Problems the settings alone show, e.g. a template variable that no item has. */
  problems?: readonly { path: string; message: string }[];
}

/** Creates scores of one kind from validated settings. */
export interface ScoreFactoryV1<Settings = unknown> {
  readonly specificationVersion: 'v1';
  /** The kind without the plugin prefix, e.g. `keywords`. */
  readonly kind: string;
  /** Strict zod schema of the kind's own settings (everything but the common score fields). */
  readonly settingsSchema: ZodType<Settings>;
  /** Builds a score; throws `InvalidConfigError` for settings that parse but cannot work. */
  create(settings: Settings, env: ScoreEnvV1): ScoreV1 | Promise<ScoreV1>;
  /** Labels the score can produce with these settings, checked against the declared labels. */
  outputLabels?(settings: Settings, env: ScoreEnvV1): readonly string[] | undefined;
  /**
   * What the score reads from items and from the environment, declared so that it is checked
   * before anything is scored (`plexus validate`, the start of evaluate, train and predict):
   * fields against the dataset's columns, results against the scorecard's scores, environment
   * variables against the process. Optional; called only with settings that parsed.
   */
  needs?(settings: Settings, env: ScoreEnvV1): ScoreNeedsV1;
  /** Trainable kinds only: fits a model on labelled items and saves it. */
  train?(options: TrainOptionsV1<Settings>): Promise<TrainResultV1<Settings>>;
}

/** What a score package exports (as `plugin` or default). */
export interface PluginV1 {
  readonly specificationVersion: 'v1';
  /** Plugin name: the part of `class` before the kind, e.g. `heuristic`. */
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: factories of any settings type share one list
  readonly factories: readonly ScoreFactoryV1<any>[];
}

/** Helper that keeps the settings type of a factory. */
export function defineScoreFactory<Settings>(
  factory: ScoreFactoryV1<Settings>,
): ScoreFactoryV1<Settings> {
  return factory;
}

/** Helper for plugin objects. */
export function definePlugin(plugin: PluginV1): PluginV1 {
  return plugin;
}
