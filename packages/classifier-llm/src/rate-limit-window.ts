/** The last `size` answers (429 or not), counted as they come. */
class AnswerRing {
  private readonly limited: Uint8Array;
  private next = 0;
  /** Answers held (at most `size`). */
  held = 0;
  /** 429s among them. */
  count = 0;

  constructor(size: number) {
    this.limited = new Uint8Array(size);
  }

  /** Adds an answer; returns the one it pushed out (1: a 429, 0: not), or -1 while not full. */
  add(limited: boolean): number {
    let out = -1;
    if (this.held === this.limited.length) {
      out = this.limited[this.next]!;
      this.count -= out;
    } else this.held += 1;
    this.limited[this.next] = limited ? 1 : 0;
    this.count += limited ? 1 : 0;
    this.next = (this.next + 1) % this.limited.length;
    return out;
  }

  clear(): void {
    this.limited.fill(0);
    this.next = 0;
    this.held = 0;
    this.count = 0;
  }
}

/** Answers in the recent window: 64 (about one round at the default concurrencies). */
export const RECENT_ANSWERS = 64;
/** Answers in the baseline window: 512. */
export const BASELINE_ANSWERS = 512;
/** A recent share of 429s at least this high (and 8 or more) is load whatever the baseline. */
export const LOAD_SHARE = 0.25;
/**
 * Standard deviations above the usual share that make load: 3 while the recent window fills (at
 * the start, after a halving: a cap is found quickly), 5 once it is full. A full window is tested
 * at every 429 as it slides over mostly the same answers, about 270 times in 5,000 answers with 5%
 * noise: at 3 throughout, noise was taken for load 1.6 times in such a run (simulated, 200 runs;
 * each halving costs some 1,500 answers at a lower concurrency), at 3 then 5, 0.09 times.
 */
export const LOAD_DEVIATIONS = { filling: 3, full: 5 } as const;
/** Before the baseline has answers, it assumes 1 in 20 (5%) is noise, as if from 20 answers. */
const PRIOR_LIMITED = 1;
const PRIOR_ANSWERS = 20;

/**
 * Tells a 429 caused by load from noise. Noise (a provider answering a few percent 429 whatever
 * the concurrency) keeps the share of 429s in the recent answers near its usual share; load raises
 * it. The usual share is learnt from the answers before the recent ones, leaving out those of an
 * overload (they never reach the baseline). A 429 is load when the recent 429s exceed what the
 * usual share predicts by more than `LOAD_DEVIATIONS` standard deviations plus one, or are 8 or
 * more and a quarter of the recent answers.
 */
export class RateLimitWindow {
  private readonly recent = new AnswerRing(RECENT_ANSWERS);
  private readonly baseline = new AnswerRing(BASELINE_ANSWERS);

  /** Records an answer: `limited` for a 429. */
  add(limited: boolean): void {
    const out = this.recent.add(limited);
    if (out >= 0) this.baseline.add(out === 1);
  }

  /** Whether the recent 429s are more than noise. */
  get overloaded(): boolean {
    const { count, held } = this.recent;
    if (count >= 8 && count >= held * LOAD_SHARE) return true;
    const usual = (this.baseline.count + PRIOR_LIMITED) / (this.baseline.held + PRIOR_ANSWERS);
    const expected = held * usual;
    const deviations = held < RECENT_ANSWERS ? LOAD_DEVIATIONS.filling : LOAD_DEVIATIONS.full;
    return count >= expected + deviations * Math.sqrt(expected) + 1;
  }

  /** After a decrease: the recent answers were to the old concurrency. */
  startOver(): void {
    this.recent.clear();
  }
}
