import type { ScoreMetrics } from '../metrics/score-metrics.js';
import type { DataProvenance } from '../run/provenance.js';
import type { ResultLine } from '../run/result-line.js';

/** How a run ended: `interrupted` when it was stopped (and can be resumed), `failed` on an error. */
export type RunEndStatusV1 = 'completed' | 'interrupted' | 'failed';

/** What a sink learns as a run starts: its folder is open (created, or resumed) and locked. */
export interface RunStartV1 {
  /** Unique id of the run, as in `run.json` (trackers find the run again by it). */
  id: string;
  /** The run folder (relative paths are relative to the process's cwd). */
  dir: string;
  scorecard: { name: string; key: string; path: string; hash: string };
  /** Fingerprint per score: what changes its outputs (settings, prompts, model bytes). */
  fingerprints: Readonly<Record<string, string>>;
  /** The dataset. Its SHA-256, rows and gold digests are known at the end (`RunSummaryV1.data`). */
  data: { path: string };
  /** The options that chose the items (`scores`, `limit`, `sample`), as `run.json` records them. */
  options: Readonly<Record<string, unknown>>;
  /** ISO 8601 time the run (or, resumed, this part of it) started. */
  startedAt: string;
  /** True when the run continues a run folder; its stored lines went to `restore`. */
  resumed: boolean;
}

/** What a run ended with: the numbers `evaluate` returns, the data's provenance and the run id. */
export interface RunSummaryV1 {
  /** Unique id of the run (`run.json` `id`). */
  id: string;
  dir: string;
  /** Path of `report.html`, or null when it could not be written (see `reportError`). */
  report: string | null;
  reportError?: string;
  /** Problems that did not change the results (a cache that could not write), as in run.json. */
  warnings?: string[];
  status: RunEndStatusV1;
  items: number;
  results: number;
  errors: number;
  skipped: number;
  malformedRows: number;
  cacheHits: number;
  /** Seconds from the start of the run (or, resumed, of this part) to its end. */
  durationS: number;
  /** Metrics per score, as in `metrics.json`. */
  scores: Record<string, ScoreMetrics>;
  /** US dollars; null when some calls have no price (see `unpricedModels`). */
  costUsd: number | null;
  /** The models whose calls have no price. */
  unpricedModels: string[];
  llmCalls: number;
  /** Calls repeated after retryable failures (429, 5xx, timeouts, resets). */
  retries: number;
  /**
   * Results a resume scored again (`--retry-errors`, a score edited since), when there are some:
   * their spend is in `costUsd`, `llmCalls` and `retries` (see `RunTotals.replaced_results`).
   */
  replacedResults?: number;
  /** The dataset and what proves which data and gold were scored, as in `run.json`. */
  data: { path: string } & Partial<DataProvenance>;
  error?: string;
}

/**
 * A sink: receives a run's result lines as they are stored. The run folder, the metrics, the
 * report, the progress line and trackers (MLflow) are sinks; a user passes their own to
 * `evaluate({ sinks })`. Calls come in this order: `begin` once, `restore` for each line a resumed
 * run kept from before, `add` for each line stored by this run, `finish` once (also after a failed
 * or interrupted run). Every line is a `ResultLine` built once by core: `correct`, the normalised
 * comparison with gold, and the cost are decided there; a sink reads them and never judges again.
 *
 * Back-pressure: a method may return a promise; the run waits for it before the next line (one
 * slow sink slows the run instead of filling memory). Return nothing from `add` when you can: a
 * synchronous sink costs the run no extra turn of the event loop. A sink that throws from `begin`
 * or `add` fails the run (its results so far are stored and resumable); one thrown from `finish` is
 * thrown by `evaluate` once the run folder is complete and every other sink has finished. A tracker that must never fail a run
 * catches its own errors (see `@plexus/mlflow-tracker`).
 */
export interface RunSinkV1 {
  readonly specificationVersion: 'v1';
  /** For messages: `run folder`, `metrics`, `mlflow`. */
  readonly name: string;
  begin?(run: RunStartV1): void | Promise<void>;
  /**
   * A line a resumed run already stored (kept: same fingerprint, not retried), before any `add`.
   * Synchronous: the lines are replayed while the stored file is read and compacted.
   */
  restore?(line: ResultLine): void;
  add(line: ResultLine): void | Promise<void>;
  /** After the run folder is closed (`run.json`, `metrics.json`, `report.html` written). */
  finish?(summary: RunSummaryV1): void | Promise<void>;
}

/** Helper that types a sink object. */
export function defineRunSink(sink: RunSinkV1): RunSinkV1 {
  return sink;
}
