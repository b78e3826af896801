// What a run folder's files hold: run.json (`RunInfo`), metrics.json (`RunMetricsFile`), and what a
// resume finds stored (`StoredRun`).
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import type { DataProvenance } from './provenance.js';
import type { RunCounts } from './run-folder-counts.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/** Contents of `run.json`. */
export interface RunInfo {
  version: 1;
  /** Unique id of the run (trackers use it to find the run again); absent in early folders. */
  id?: string;
  scorecard: { name: string; key: string; path: string; hash: string };
  /** Effective fingerprint per score: results stored under another one are scored again. */
  fingerprints: Record<string, string>;
  /** The dataset and, once read, what proves which data and gold were scored (see `DataProvenance`). */
  data: { path: string } & Partial<DataProvenance>;
  options: Record<string, unknown>;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  duration_s: number | null;
  counts: RunCounts;
  /** Set when the counts could not be taken (a run ended at once, its lines unreadable): why. The
   * figures in `counts` are then not this run's and are never shown as numbers. */
  counts_unknown?: string;
  error: string | null;
  /** Problems that did not change the results, e.g. a cache that could not write (absent: none). */
  warnings?: string[];
}

/** Contents of `metrics.json`. */
export interface RunMetricsFile {
  scorecard: string;
  items: number;
  scores: Record<string, ScoreMetrics>;
  cost: {
    /** US dollars; null when some calls have no price (listed in `unpriced_models`). */
    usd: number | null;
    /** The models whose calls have no price; empty when every call was priced. */
    unpriced_models: string[];
    /** Null when some result's tokens are unknown (`tokens_unknown_results` counts them). */
    input_tokens: number | null;
    output_tokens: number | null;
    tokens_unknown_results?: number;
    llm_calls: number;
    retries: number;
  };
  duration_s: number;
}

/** What a resumed run already has. */
export interface StoredRun {
  info: RunInfo;
  /**
   * Stored outputs per item id, for the scores whose fingerprint is unchanged; an item with every
   * score stored maps to one shared record naming them (nothing is left to score for it).
   */
  outputs: Map<string, Record<string, ScoreOutputV1>>;
}
