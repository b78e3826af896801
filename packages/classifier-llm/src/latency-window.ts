/** Latencies kept: the most recent successes. */
const size = 64;
/** Successes needed before a percentile is given. */
const fewest = 16;
/** The percentile is computed again after this many new latencies (not on every call). */
const refreshEvery = 8;

/** The latencies of the last 64 successes, and their 90th percentile. */
export class LatencyWindow {
  private readonly values = new Float64Array(size);
  private next = 0;
  private held = 0;
  private sinceComputed = 0;
  private computed: number | undefined;

  add(latencyMs: number): void {
    this.values[this.next] = latencyMs;
    this.next = (this.next + 1) % size;
    this.held = Math.min(size, this.held + 1);
    this.sinceComputed += 1;
  }

  /** The 90th percentile (nearest rank) of the latencies kept; undefined before 16 of them. */
  percentile90(): number | undefined {
    if (this.held < fewest) return undefined;
    if (this.computed === undefined || this.sinceComputed >= refreshEvery) {
      const sorted = this.values.slice(0, this.held).sort();
      this.computed = sorted[Math.ceil(this.held * 0.9) - 1];
      this.sinceComputed = 0;
    }
    return this.computed;
  }
}
