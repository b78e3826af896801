/**
 * A decimal number as text (`12`, `-0.5`, `.5`, `1e3`, spaces around): `Number` alone also reads
 * `0x20` as 32, `0b11` as 3 and `0o7` as 7, which a CSV field never means.
 */
const decimal = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;

/** A number from a value: numbers, or decimal strings as CSV gives them; otherwise undefined. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && decimal.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** The value at a dotted path of own properties (`call.duration`), or undefined. */
export function fieldValue(record: Readonly<Record<string, unknown>>, path: string): unknown {
  // A plain name (most fields, read for every item): no array of one key per call.
  if (!path.includes('.'))
    return typeof record === 'object' && record !== null && Object.hasOwn(record, path)
      ? record[path]
      : undefined;
  let current: unknown = record;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A numeric metadata field, or what is wrong with it (`metadata field "x" is missing`). */
export function numericField(
  metadata: Readonly<Record<string, unknown>>,
  field: string,
): { value: number } | { problem: string } {
  const raw = fieldValue(metadata, field);
  if (raw === undefined || raw === null || raw === '')
    return { problem: `metadata field "${field}" is missing` };
  const value = numericValue(raw);
  if (value === undefined)
    return {
      problem: `metadata field "${field}" is not a number (${JSON.stringify(raw).slice(0, 40)})`,
    };
  return { value };
}

/**
 * Levels a column's value may nest (JSON Lines objects in lists in objects ...). Deeper, a row is
 * reported: hashing it for the cache recursed until the stack overflowed and the whole run failed
 * with "Maximum call stack size exceeded", naming no row.
 */
export const maxNesting = 64;

/** The first column of `record` whose value nests deeper than `maxNesting`, if any. */
export function tooDeepColumn(record: Readonly<Record<string, unknown>>): string | undefined {
  for (const column in record) {
    const value = record[column];
    if (
      typeof value === 'object' &&
      value !== null &&
      !ArrayBuffer.isView(value) &&
      nestsDeeper(value, maxNesting)
    )
      return column;
  }
  return undefined;
}

/** Whether `value` has objects or lists more than `limit` levels deep (without recursion). */
function nestsDeeper(value: object, limit: number): boolean {
  const pending: [object, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (depth > limit) return true;
    // Bytes (a Parquet binary column) are one value, not a list to walk.
    if (ArrayBuffer.isView(current)) continue;
    for (const child of Object.values(current))
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}
