// Score, label, column and node names are data chosen by users: `toString`, `constructor` or
// `__proto__` must work like any other. A plain `{}` inherits those names from Object.prototype
// (`'toString' in {}` is true) and `record['__proto__'] = value` sets its prototype instead of a
// key. Records keyed by such names are made without a prototype and read through own keys only.

/** An empty record without a prototype: every key, `__proto__` included, is plain data. */
export function nameRecord<Value>(): Record<string, Value> {
  return Object.create(null) as Record<string, Value>;
}

/** A record without a prototype holding `entries` (later entries win, as in `Object.fromEntries`). */
export function nameRecordOf<Value>(
  entries: Iterable<readonly [string, Value]>,
): Record<string, Value> {
  const record = nameRecord<Value>();
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** Whether `record` holds `key` itself (not inherited from a prototype). */
export function hasName(record: object | undefined, key: string): boolean {
  return record !== undefined && record !== null && Object.hasOwn(record, key);
}

/** The value `record` holds for `key` itself, or undefined (never an inherited `toString`). */
export function nameValue<Value>(
  record: Readonly<Record<string, Value>> | undefined,
  key: string,
): Value | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key)
    ? record[key]
    : undefined;
}

/**
 * Sets `key` on any record as an own property, even `__proto__` on a plain object (where an
 * assignment would change the prototype instead).
 */
export function setName<Value>(record: Record<string, Value>, key: string, value: Value): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else record[key] = value;
}
