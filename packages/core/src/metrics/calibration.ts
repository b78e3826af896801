/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  /** Share of the bin's answers that were right; null for an empty bin. */
  accuracy: number | null;
  /** Mean confidence of the bin's answers; null for an empty bin. */
  confidence: number | null;
}

/** How well a score's confidence matches how often it is right (`metrics.json` `calibration`). */
export interface CalibrationMetrics {
  /** Answers with a confidence and a gold label. */
  n: number;
  /** Top-label expected calibration error: sum over bins of n_b / N * |accuracy_b - confidence_b|. */
  ece: number;
  bins: number;
  /** Mean of (confidence - 1[correct])^2. */
  brier_top_label: number;
  reliability: ReliabilityBin[];
}

/** Bin of a confidence among `bins` equal-width bins: [i/bins, (i+1)/bins), the last one with 1.0. */
export function binOf(confidence: number, bins: number): number {
  return Math.min(Math.floor(confidence * bins), bins - 1);
}

/** Streams answers into `bins` equal-width confidence bins (what `calibrationMetrics` needs). */
export class CalibrationTally {
  private readonly count: number[];
  private readonly right: number[];
  private readonly confidenceSum: number[];
  private brier = 0;
  private total = 0;

  constructor(readonly bins = 10) {
    this.count = new Array<number>(bins).fill(0);
    this.right = new Array<number>(bins).fill(0);
    this.confidenceSum = new Array<number>(bins).fill(0);
  }

  /** One answer; a confidence outside [0, 1] is clamped. */
  add(rawConfidence: number, correct: boolean): void {
    const confidence = Math.min(Math.max(rawConfidence, 0), 1);
    const bin = binOf(confidence, this.bins);
    this.count[bin]! += 1;
    if (correct) this.right[bin]! += 1;
    this.confidenceSum[bin]! += confidence;
    this.brier += (confidence - (correct ? 1 : 0)) ** 2;
    this.total += 1;
  }

  /** The metrics, or null with no answer. */
  finish(): CalibrationMetrics | null {
    if (this.total === 0) return null;
    let ece = 0;
    const reliability = this.count.map((n, bin) => {
      const accuracy = n > 0 ? this.right[bin]! / n : null;
      const confidence = n > 0 ? this.confidenceSum[bin]! / n : null;
      if (n > 0) ece += (n / this.total) * Math.abs(accuracy! - confidence!);
      return { lo: bin / this.bins, hi: (bin + 1) / this.bins, n, accuracy, confidence };
    });
    return {
      n: this.total,
      ece,
      bins: this.bins,
      brier_top_label: this.brier / this.total,
      reliability,
    };
  }
}

/**
 * ECE over `bins` equal-width bins of the predicted label's confidence, the Brier score of the top
 * label and the reliability diagram. Null with no answer. Confidences outside [0, 1] are clamped.
 */
export function calibrationMetrics(
  answers: readonly { confidence: number; correct: boolean }[],
  bins = 10,
): CalibrationMetrics | null {
  const tally = new CalibrationTally(bins);
  for (const answer of answers) tally.add(answer.confidence, answer.correct);
  return tally.finish();
}

/** A confidence map fitted by `plexus calibrate` and applied to a score's confidence. */
export type CalibrationMap =
  | { method: 'isotonic'; x: number[]; y: number[] }
  | { method: 'platt'; a: number; b: number };

/**
 * Isotonic regression (increasing), as scikit-learn's `IsotonicRegression(out_of_bounds='clip')`:
 * equal x merged (weighted mean of y), pool-adjacent-violators, then linear interpolation between
 * the fitted points, clipped at the ends.
 */
export function fitIsotonic(x: readonly number[], y: readonly number[]): CalibrationMap {
  const order = x.map((_, index) => index).sort((a, b) => x[a]! - x[b]!);
  const points: { x: number; sum: number; weight: number }[] = [];
  for (const index of order) {
    const last = points[points.length - 1];
    if (last && last.x === x[index]) {
      last.sum += y[index]!;
      last.weight += 1;
    } else points.push({ x: x[index]!, sum: y[index]!, weight: 1 });
  }
  // Blocks of pooled points: mean value, weight, and how many points each covers.
  const blocks: { value: number; weight: number; size: number }[] = [];
  for (const point of points) {
    blocks.push({ value: point.sum / point.weight, weight: point.weight, size: 1 });
    while (
      blocks.length > 1 &&
      blocks[blocks.length - 2]!.value >= blocks[blocks.length - 1]!.value
    ) {
      const top = blocks.pop()!;
      const below = blocks[blocks.length - 1]!;
      const weight = below.weight + top.weight;
      below.value = (below.value * below.weight + top.value * top.weight) / weight;
      below.weight = weight;
      below.size += top.size;
    }
  }
  const fitted = blocks.flatMap((block) => new Array<number>(block.size).fill(block.value));
  return { method: 'isotonic', x: points.map((point) => point.x), y: fitted };
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(value));
}

/**
 * Platt scaling, as scikit-learn's sigmoid calibration: P(correct) = 1 / (1 + exp(a f + b)),
 * fitted by Newton's method on Platt's smoothed targets ((N+ + 1) / (N+ + 2) and 1 / (N- + 2)).
 */
export function fitPlatt(
  confidences: readonly number[],
  correct: readonly boolean[],
): CalibrationMap {
  const positives = correct.filter(Boolean).length;
  const negatives = correct.length - positives;
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  let a = 0;
  let b = Math.log((negatives + 1) / (positives + 1));
  for (let iteration = 0; iteration < 100; iteration += 1) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    confidences.forEach((f, index) => {
      const p = sigmoid(a * f + b);
      const target = correct[index] ? high : low;
      // d loss / d(a f + b) = target - p for P = 1 / (1 + exp(a f + b)).
      const residual = target - p;
      const curvature = p * (1 - p);
      ga += residual * f;
      gb += residual;
      haa += curvature * f * f;
      hab += curvature * f;
      hbb += curvature;
    });
    const determinant = haa * hbb - hab * hab;
    const stepA = (hbb * ga - hab * gb) / determinant;
    const stepB = (haa * gb - hab * ga) / determinant;
    a -= stepA;
    b -= stepB;
    if (Math.abs(stepA) + Math.abs(stepB) < 1e-12) break;
  }
  return { method: 'platt', a, b };
}

/** The calibrated confidence of a raw one. */
export function applyCalibration(map: CalibrationMap, confidence: number): number {
  if (map.method === 'platt') return sigmoid(map.a * confidence + map.b);
  const { x, y } = map;
  if (x.length === 0) return confidence;
  if (confidence <= x[0]!) return y[0]!;
  if (confidence >= x[x.length - 1]!) return y[y.length - 1]!;
  let high = 1;
  while (x[high]! < confidence) high += 1;
  const low = high - 1;
  const share = (confidence - x[low]!) / (x[high]! - x[low]!);
  return y[low]! + share * (y[high]! - y[low]!);
}
