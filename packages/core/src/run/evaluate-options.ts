// What `evaluate` is given: the scorecard, the data, the run folder and how the run goes.
import type { ResultCache } from '../cache/cache.js';
import type { DatasetProblem } from '../dataset/dataset.js';
import type { GoldSource } from '../dataset/item-gold.js';
import type { LoadedScorecard } from '../scorecard/loaded-scorecard.js';
import type { RunSinkV1 } from '../spec/run-sink-spec.js';
import type { ItemSource } from './external-results.js';
import type { ResultLine } from './result-line.js';

export interface EvaluateOptions {
  scorecard: LoadedScorecard;
  /** Dataset path; default the scorecard's `data.path` (relative to the scorecard). */
  data?: string;
  /** Run only these scores (and what they depend on). */
  scores?: readonly string[];
  /** Score only the first N items. */
  limit?: number;
  /** Score a seeded random sample of N items; with `stratify`, keeping that score's gold label proportions. */
  sample?: { size: number; seed: number; stratify?: string };
  /** `doScore` calls in flight per score; default 4. */
  concurrency?: number;
  /** Items in flight; default 256. */
  window?: number;
  /** Run folder; default `runs/<timestamp>-<scorecard key>` under the cwd. */
  outDir?: string;
  /** Continue the run in this folder. */
  resumeDir?: string;
  /** With `resumeDir`: score again the items whose result is `error`; `ok` results are kept. */
  retryErrors?: boolean;
  /** Use the result cache; default true. */
  cache?: boolean | ResultCache;
  cacheDir?: string;
  /** Abandons the run at once (calls in flight cancelled); the run is `interrupted`. */
  signal?: AbortSignal;
  /** Stops starting work, lets calls in flight finish and be stored; the run is `interrupted`. */
  drain?: AbortSignal;
  /** Called with each line this run stores (a sink with only `add`: the CLI's progress line). */
  onResult?: (line: ResultLine) => void;
  onDatasetProblem?: (problem: DatasetProblem) => void;
  /**
   * Problems that do not stop the run, as they are found (also in run.json's `warnings`): stored
   * results a resume scores again because they are not as Plexus writes them.
   */
  onWarning?: (message: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
  /** Seed of the bootstrap intervals in the metrics; default 0. */
  seed?: number;
  /** Id of a new run (trackers find the run by it); default a random UUID. */
  runId?: string;
  /**
   * Where the run's items come from besides the dataset: `externalResults(lines)` for results
   * computed elsewhere (Spark), stored, measured and reported like the engine's in the same kind of
   * run folder; the dataset (`data`) is then not read, only hashed, and nothing is scored here.
   */
  items?: ItemSource;
  /**
   * Sinks that receive the run as it goes (`RunSinkV1`: begin, restore, add, finish), after the
   * run folder, metrics, report rows and `onResult`: a tracker (`mlflowTracker()` from
   * `@plexus/mlflow-tracker`) or your own.
   */
  sinks?: readonly RunSinkV1[];
  /**
   * Keep LLM scores' prompts in the traces (`trace.prompts`: each call's rendered messages and raw
   * answer, 8 KB per call at most, secrets redacted); default true (`--no-trace-prompts`: false).
   */
  tracePrompts?: boolean;
  /** Characters of each item's text kept on its first result line (`text`); default 2,000, 0 for none. */
  itemTextChars?: number;
  /**
   * Gold labels from elsewhere than the dataset for some scores (reviewers' labels: `feedbackGold`
   * of `@plexus/feedback`, `plexus evaluate --gold feedback`), set on each item before sampling.
   */
  gold?: GoldSource;
}
