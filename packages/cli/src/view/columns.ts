type NumberArray = Int32Array | Uint32Array | Uint8Array | Float64Array;

/**
 * Numbers appended one by one into a typed array that doubles when full: 1 to 8 bytes a value
 * (a JavaScript array of numbers takes 8 and more, and a million-line index held tens of them).
 * `values` is read up to `length`; past it are zeros.
 */
export class Column<Values extends NumberArray> {
  values: Values;
  length = 0;

  constructor(private readonly make: (size: number) => Values) {
    this.values = make(1024);
  }

  push(value: number): void {
    if (this.length === this.values.length) this.reserve(this.values.length * 2);
    this.values[this.length] = value;
    this.length += 1;
  }

  /** Makes room for `size` values. */
  reserve(size: number): void {
    if (size <= this.values.length) return;
    const grown = this.make(size);
    grown.set(this.values.subarray(0, this.length) as ArrayLike<number> as never);
    this.values = grown;
  }
}
