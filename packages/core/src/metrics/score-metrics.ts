import type { ResultLine } from '../run/result-line.js';
import { type LabelNormalization, normalizedLabel } from '../text/labels.js';
import { bootstrapIntervalsOrReasons, type IntervalOrReason } from './bootstrap.js';
import { type CalibrationMetrics, CalibrationTally } from './calibration.js';
import { type AveragedMetric, matrixMetrics, presentMatrixMetrics } from './classification.js';
import { ConfusionCounts } from './confusion.js';
import { CostTally } from './cost-tally.js';
import { InTrainingTally } from './in-training.js';
import { judgedPair } from './judged-pair.js';
import { TokenTally } from './token-tally.js';
import { wilsonInterval } from './wilson.js';

/** The metrics of one score, as written to `metrics.json`. All values are plain numbers (0..1). */
export interface ScoreMetrics {
  /** Items in the metrics: scored `ok` and with a gold label. */
  n: number;
  /** Every result of the score, whatever its status. */
  n_results: number;
  n_errors: number;
  /** Skipped (unmet condition, failed upstream) or disabled. */
  n_skipped: number;
  /** Scored `ok` without a gold label. */
  n_unlabeled: number;
  /** The (normalised) labels given to the `n_unlabeled` items, with counts, most given first. */
  unlabeled_predicted: Record<string, number>;
  /**
   * Answered (`ok` with a value) / items that were due an answer (answered + errors); skips are
   * not due. Null when no item was due. A score skipped because its upstream failed is not counted
   * here: the failure counts against the upstream score.
   */
  coverage: number | null;
  /**
   * Accuracy over the labelled items due an answer, an error counting as wrong:
   * correct / (n + errors with a gold label). Null when there are none.
   */
  accuracy_counting_errors: number | null;
  /** Sorted union of (normalised) gold and predicted labels. */
  labels: string[];
  accuracy: number | null;
  /**
   * Wilson score 95% interval of `accuracy` (statsmodels' `proportion_confint(method="wilson")`):
   * [0.207, 1] for one right answer of one, never a collapsed [1, 1]. Null when `n` is 0.
   */
  accuracy_ci95: [number, number] | null;
  precision: AveragedMetric | null;
  recall: AveragedMetric | null;
  f1: AveragedMetric | null;
  /** Percentile bootstrap 95% interval of macro F1; null where the resamples cannot vary. */
  f1_macro_ci95: [number, number] | null;
  /**
   * Why `f1_macro_ci95` is null ("too few items (1): ...", "no variation in the resamples: ..."),
   * null when it is there. Absent from runs written before it existed.
   */
  f1_macro_ci95_reason: string | null;
  confusion_matrix: { labels: string[]; matrix: number[][] };
  support: Record<string, number>;
  /** Null with no item, and with one label only (gold and answers all the same label): 0/0. */
  cohen_kappa: number | null;
  /** Null with no item, and with one label only: its chance agreement divides by 0. */
  gwet_ac1: number | null;
  /** Why `cohen_kappa` and `gwet_ac1` are null (`oneLabelAgreement`); null when they are numbers. */
  kappa_ac1_reason: string | null;
  /** US dollars; null when some calls have no price (see `unpriced_models`), never 0 for unknown. */
  cost_usd: number | null;
  /** The models whose calls have no price (`openai gpt-5-mini`); add `pricing:` to the score. */
  unpriced_models: string[];
  /** Null when some result's tokens are unknown (`tokens_unknown_results` counts them). */
  input_tokens: number | null;
  output_tokens: number | null;
  tokens_unknown_results?: number;
  llm_calls: number;
  /**
   * Mean latency of the results scored in this run, in milliseconds (cache hits, skips and
   * disabled lines excluded: null when none was scored; for a score that answers a batch at once, each item's share of its batch's time).
   */
  latency_ms_mean: number | null;
  /**
   * How well the confidence matches how often the score is right, over the labelled answers that
   * carry a confidence (top-label ECE over 10 bins, Brier, reliability); absent when none does.
   */
  calibration?: CalibrationMetrics;
  /**
   * A score with `samples: N` (self-consistency): the answered items and the share of them whose
   * samples did not all give the same label (`flip_rate`); absent for other scores.
   */
  self_consistency?: { items: number; flip_rate: number };
  /**
   * Answered items the score marked as in its training data (`trace.in_training`), the labelled
   * answers that are not, and the accuracy over those (`InTrainingTally`); absent when none is.
   */
  n_in_training?: number;
  n_not_in_training?: number;
  accuracy_not_in_training?: number | null;
}

/**
 * Whether a line's `latency_ms` counts in a mean latency: every line scored in this run, however
 * fast (its 0 is a time, not a missing one); not cache hits, skips or a disabled score's lines
 * (nothing ran: their 0 is no time, and a disabled score's mean is null, not 0 ms).
 */
export function isTimed(line: { cached: boolean; status: string }): boolean {
  return !line.cached && line.status !== 'skipped' && line.status !== 'disabled';
}

/** Accumulates one score's results (streaming) and computes its metrics at the end. */
export class ScoreMetricsAccumulator {
  private readonly confusion = new ConfusionCounts();
  private results = 0;
  private errors = 0;
  private labelledErrors = 0;
  private correct = 0;
  private skipped = 0;
  private unlabeled = 0;
  private readonly unlabeledPredicted = new Map<string, number>();
  private readonly cost = new CostTally();
  private readonly tokens = new TokenTally();
  private calls = 0;
  private latencyTotal = 0;
  private latencyCount = 0;
  private readonly calibration = new CalibrationTally();
  private sampled = 0;
  private flipped = 0;
  private readonly inTraining = new InTrainingTally();

  /** The score's label normalisation, one function for every line. */
  private readonly normalize = (label: string) => normalizedLabel(label, this.normalization);

  constructor(private readonly normalization: LabelNormalization = {}) {}

  add(line: ResultLine): void {
    this.results += 1;
    this.addSpend(line);
    if (isTimed(line)) {
      this.latencyTotal += line.latency_ms;
      this.latencyCount += 1;
    }
    if (line.status === 'error') {
      this.errors += 1;
      if (line.label !== null) this.labelledErrors += 1;
      return;
    }
    if (line.status !== 'ok' || line.value === null) {
      this.skipped += 1;
      return;
    }
    this.countSamples(line.trace);
    const pair = judgedPair(line, this.normalize);
    this.inTraining.add(line.trace, pair?.correct);
    if (!pair) {
      this.unlabeled += 1;
      const label = this.normalize(line.value);
      this.unlabeledPredicted.set(label, (this.unlabeledPredicted.get(label) ?? 0) + 1);
      return;
    }
    if (pair.correct) this.correct += 1;
    this.confusion.add(pair.gold, pair.predicted);
    if (typeof line.confidence === 'number' && Number.isFinite(line.confidence))
      this.calibration.add(line.confidence, pair.correct);
  }

  /**
   * What a line paid (dollars, tokens, calls), without its result: a result a resume scored again
   * (`replaced.jsonl`) was paid for all the same.
   */
  addSpend(line: ResultLine): void {
    this.cost.add(line);
    this.tokens.add(line);
    this.calls += line.llm_calls;
  }

  /** A self-consistent answer's samples (`trace.self_consistency.samples`): do they all agree? */
  private countSamples(trace: unknown): void {
    const samples = (trace as { self_consistency?: { samples?: unknown } } | undefined)
      ?.self_consistency?.samples;
    if (!Array.isArray(samples)) return;
    this.sampled += 1;
    // Compared as the metrics compare labels; a failed sample (null) is no answer, not a flip.
    const answers = samples.filter((sample): sample is string => typeof sample === 'string');
    const distinct = new Set(answers.map(this.normalize));
    if (distinct.size > 1) this.flipped += 1;
  }

  /**
   * Macro F1's percentile bootstrap interval over the confusion cells (sorted: the order results
   * arrived in does not matter), or why there is none (see `bootstrapIntervalsOrReasons`).
   */
  private macroF1Interval(labels: readonly string[], seed: number): IntervalOrReason {
    const cells = this.confusion.entries().map((entry) => ({ cell: entry, count: entry.count }));
    const index = new Map(labels.map((label, position) => [label, position]));
    const macroF1 = (counts: readonly number[]) => {
      const sample = labels.map(() => labels.map(() => 0));
      counts.forEach((count, position) => {
        const { gold, predicted } = cells[position]!.cell;
        sample[index.get(gold)!]![index.get(predicted)!]! += count;
      });
      return [presentMatrixMetrics(labels, sample).f1.macro];
    };
    const intervals = bootstrapIntervalsOrReasons(cells, macroF1, seed);
    return intervals?.[0] ?? { ci95: null, reason: 'no item with a gold label was answered' };
  }

  finish(seed = 0): ScoreMetrics {
    const answered = this.results - this.errors - this.skipped;
    const due = answered + this.errors;
    const labelledDue = this.confusion.total + this.labelledErrors;
    const labels = this.confusion.labels();
    const matrix = this.confusion.matrix(labels);
    const computed = labels.length > 0 ? matrixMetrics(labels, matrix) : undefined;
    const f1Interval = this.macroF1Interval(labels, seed);
    return {
      n: this.confusion.total,
      n_results: this.results,
      n_errors: this.errors,
      n_skipped: this.skipped,
      n_unlabeled: this.unlabeled,
      // fromEntries defines own keys: a label named `__proto__` stays a label.
      unlabeled_predicted: Object.fromEntries(
        [...this.unlabeledPredicted].sort(
          (left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1),
        ),
      ),
      coverage: due > 0 ? answered / due : null,
      accuracy_counting_errors: labelledDue > 0 ? this.correct / labelledDue : null,
      labels,
      accuracy: computed?.accuracy ?? null,
      accuracy_ci95: wilsonInterval(this.correct, this.confusion.total),
      precision: computed?.precision ?? null,
      recall: computed?.recall ?? null,
      f1: computed?.f1 ?? null,
      f1_macro_ci95: f1Interval.ci95,
      f1_macro_ci95_reason: f1Interval.reason,
      confusion_matrix: { labels, matrix },
      support: computed?.support ?? {},
      // One label in gold and answers alike: kappa is 0/0 (scikit-learn: nan) and AC1 divides by
      // the number of labels minus one (irrCAC: NaN). Absent with the reason, not a perfect 1.
      cohen_kappa: computed?.cohen_kappa ?? null,
      gwet_ac1: computed?.gwet_ac1 ?? null,
      kappa_ac1_reason: computed
        ? computed.kappa_ac1_reason
        : 'no item with a gold label was answered',
      cost_usd: this.cost.usd,
      unpriced_models: this.cost.unpricedModels,
      ...this.tokens.finish(),
      llm_calls: this.calls,
      latency_ms_mean: this.latencyCount > 0 ? this.latencyTotal / this.latencyCount : null,
      ...calibrationField(this.calibration.finish()),
      ...(this.sampled > 0
        ? { self_consistency: { items: this.sampled, flip_rate: this.flipped / this.sampled } }
        : {}),
      ...this.inTraining.finish(),
    };
  }
}

function calibrationField(calibration: CalibrationMetrics | null): {
  calibration?: CalibrationMetrics;
} {
  return calibration ? { calibration } : {};
}
