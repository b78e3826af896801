/** Interns strings: a label, score or status is stored once and compared as a number. */
export class Names {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

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
