/**
 * The `limit` first values in the order `before` gives, of any number offered: a heap whose top is
 * the last kept, so memory is `limit` values, not every value offered.
 */
export class BoundedHeap<Value> {
  private readonly values: Value[] = [];

  constructor(
    private readonly limit: number,
    /** Negative when `a` comes before `b`. */
    private readonly before: (a: Value, b: Value) => number,
  ) {}

  offer(value: Value): void {
    if (this.limit <= 0) return;
    if (this.values.length < this.limit) {
      this.values.push(value);
      this.up(this.values.length - 1);
    } else if (this.before(value, this.values[0]!) < 0) {
      this.values[0] = value;
      this.down(0);
    }
  }

  /** The kept values, first first. */
  sorted(): Value[] {
    return [...this.values].sort(this.before);
  }

  /** Whether the value at `a` comes after the one at `b` (the top is the last). */
  private after(a: number, b: number): boolean {
    return this.before(this.values[a]!, this.values[b]!) > 0;
  }

  private swap(a: number, b: number): void {
    const kept = this.values[a]!;
    this.values[a] = this.values[b]!;
    this.values[b] = kept;
  }

  private up(start: number): void {
    let at = start;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.after(at, parent)) return;
      this.swap(at, parent);
      at = parent;
    }
  }

  private down(start: number): void {
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let last = at;
      if (left < this.values.length && this.after(left, last)) last = left;
      if (right < this.values.length && this.after(right, last)) last = right;
      if (last === at) return;
      this.swap(at, last);
      at = last;
    }
  }
}
