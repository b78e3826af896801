// The types of a sweep's options and result, apart from `sweep()` so that a trial can read them.
import type { DatasetProblem } from '../dataset/dataset.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import type { LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import type { SplitMethod } from '../train/train.js';
import type { SweepFile, SweepMetric } from './sweep-file.js';
import type { SweepInfo, TrialRecord } from './sweep-folder.js';

/** Where a sweep is tracked besides its folder (MLflow: a parent run and a child per trial). */
export interface SweepTracker {
  /** Opens the parent run, or reopens the one a resumed sweep has; returns its id. */
  start(info: SweepInfo, parentRunId: string | null): Promise<string>;
  /** Logs a finished trial as a child run; returns the child's id. */
  trial(record: TrialRecord, info: SweepInfo, parentRunId: string): Promise<string>;
  /** Closes the parent run with the best trial and its held-out test metrics. */
  finish(result: SweepResult, parentRunId: string): Promise<void>;
  /** Marks the parent run as stopped (the sweep was interrupted; a resume reopens it). */
  stop?(parentRunId: string): Promise<void>;
}

export interface SweepOptions {
  /** The scorecard, loaded with `create: false`. */
  scorecard: LoadedScorecard;
  /** The trainable score to tune. */
  score: string;
  sweep: SweepFile;
  /** Dataset; default the scorecard's `data.path`. */
  data?: string;
  /** Share of items held out from the whole sweep to test the best model; default 0.2. */
  testFraction?: number;
  split?: SplitMethod;
  /** Seed of the test split; default 0. */
  seed?: number;
  /** Sweep folder; default `runs/<timestamp>-<key>-sweep`. */
  dir?: string;
  /** Continue the sweep in this folder (its settings win over the options). */
  resumeDir?: string;
  /** Folder for the best model; default `<sweep folder>/model`. */
  modelDir?: string;
  cacheDir?: string;
  tracker?: SweepTracker;
  /** A tracker call failed: the sweep goes on locally without it. */
  onTrackerError?: (error: unknown) => void;
  onTrial?: (record: TrialRecord, total: number) => void;
  onProgress?: (message: string) => void;
  onDatasetProblem?: (problem: DatasetProblem) => void;
  signal?: AbortSignal;
}

export interface SweepResult {
  dir: string;
  status: 'completed' | 'interrupted';
  metric: SweepMetric;
  /** Every trial run so far, best first. */
  trials: TrialRecord[];
  best: TrialRecord | null;
  /** The best settings retrained on every training item. */
  modelPath: string | null;
  /** The best model on the held-out test items; null without a test split. */
  testMetrics: ScoreMetrics | null;
  trainItems: number;
  testItems: number;
  mlflowParentRunId: string | null;
  durationS: number;
}
