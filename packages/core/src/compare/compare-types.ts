// What `compareRuns` gives per compared score.

/** How `compareRuns` treats an item a run ended in error: as a wrong answer, or left out. */
export type CompareErrors = 'wrong' | 'exclude';

/** What every compared score has: names and counts (true counts, 0 meaning none). */
export interface ComparedCounts {
  score_a: string;
  score_b: string;
  /**
   * Items compared: with a gold label and due an answer in both runs (answered or failed; skips
   * are not due). With `errors: 'exclude'`, only those both runs answered.
   */
  n: number;
  /** Of the items due in both runs, those each run ended in error (counted wrong, or left out). */
  errors_a: number;
  errors_b: number;
  /**
   * Items due an answer with a gold label in run A only (not in run B, or skipped there), and in
   * run B only: not compared. Absent from `outside_training` (counted once, here).
   */
  due_only_a?: number;
  due_only_b?: number;
  /** Items only run A got right, and only run B. */
  only_a_correct: number;
  only_b_correct: number;
  /** The test `significant` and the verdict follow: McNemar's exact test at alpha. */
  verdict_test: 'mcnemar';
  verdict: string;
  /**
   * Of the items due in both runs, those run A's (B's) model was trained on (`trace.in_training`):
   * its answers there are remembered, not predicted, so they flatter it.
   */
  in_training_a: number;
  in_training_b: number;
  /**
   * The same comparison over the items neither run's model was trained on; null when no item due
   * in both is in training data (the comparison above is then that one).
   */
  outside_training: ScoreComparison | null;
}

/** A score compared on at least one item: every figure is computed. */
export interface MeasuredComparison extends ComparedCounts {
  no_metrics_reason: null;
  accuracy_a: number;
  accuracy_b: number;
  /** accuracy_b - accuracy_a, with a paired bootstrap 95% interval of the same difference. */
  accuracy_delta: number;
  /**
   * Null where the resamples cannot vary (one item; no item only one run got right: every
   * resample's difference is 0), a one-value interval that would claim certainty; the reason in
   * `accuracy_delta_ci95_reason` (null when the interval is there).
   */
  accuracy_delta_ci95: [number, number] | null;
  accuracy_delta_ci95_reason: string | null;
  f1_macro_a: number;
  f1_macro_b: number;
  f1_macro_delta: number;
  f1_macro_delta_ci95: [number, number] | null;
  f1_macro_delta_ci95_reason: string | null;
  /** McNemar's exact test on the discordant items. */
  mcnemar_p: number;
  /** McNemar's p below alpha. */
  significant: boolean;
  /**
   * Whether the bootstrap interval of `accuracy_delta` excludes 0 exactly when McNemar's test is
   * significant; when false the verdict says the tests disagree (treat as borderline). Null
   * without an interval.
   */
  tests_agree: boolean | null;
}

/** A score with no item to compare (`n` is 0): no figure, and the reason. */
export interface UnmeasuredComparison extends ComparedCounts {
  /** Why there is no figure, e.g. "no item answered by both runs (…)". */
  no_metrics_reason: string;
  accuracy_a: null;
  accuracy_b: null;
  accuracy_delta: null;
  accuracy_delta_ci95: null;
  /** `no_metrics_reason`. */
  accuracy_delta_ci95_reason: string;
  f1_macro_a: null;
  f1_macro_b: null;
  f1_macro_delta: null;
  f1_macro_delta_ci95: null;
  f1_macro_delta_ci95_reason: string;
  mcnemar_p: null;
  significant: false;
  tests_agree: null;
}

/**
 * One score compared between two runs, on the items both were due to answer, with a gold label.
 * `no_metrics_reason` is null when the figures are there, else it says why they are all null.
 */
export type ScoreComparison = MeasuredComparison | UnmeasuredComparison;

/** Items in a model's training data, and the counts of the items outside both models' training. */
export interface TrainingSplit {
  a: number;
  b: number;
  /**
   * Of `a` (`b`), the items the other run failed on: `--errors exclude` leaves them out of the
   * comparison, so out of its counts too (in_training_a counted 10 of 6 items compared).
   */
  aBesideError: number;
  bBesideError: number;
  outside: Map<string, number>;
}
