// What a score package's factory created, checked at load (`plexus validate` says it): a
// `maxBatchSize` of NaN left a run waiting for ever, a `collects` of NaN too, a fingerprint with a
// BigInt stopped every command with "Do not know how to serialize a BigInt", naming no score, and a
// create() that returned nothing or no `doScore` passed validate and failed every item.

/** A number, or absent: the engine takes at least 1 (0 and Infinity as before; NaN never ended). */
function isSize(value: unknown, finite: boolean): boolean {
  if (value === undefined) return true;
  return typeof value === 'number' && (finite ? Number.isFinite(value) : !Number.isNaN(value));
}

/** A value as a problem quotes it. */
function shown(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'object' && value !== null)
    return Array.isArray(value) ? 'a list' : 'an object';
  return String(value);
}

/** Why what `create` returned is not a score the engine can run, if so. */
export function createdScoreProblem(score: unknown): string | undefined {
  if (typeof score !== 'object' || score === null)
    return `create() returned ${shown(score)}, not a score`;
  const created = score as Record<string, unknown>;
  if (typeof created.doScore !== 'function')
    return 'the score create() returned has no doScore function';
  if (typeof created.fingerprint !== 'string')
    return `the score's fingerprint is ${shown(created.fingerprint)}, not text`;
  if (!isSize(created.maxBatchSize, false))
    return `the score's maxBatchSize is ${shown(created.maxBatchSize)}, not a number of items`;
  if (!isSize(created.collects, true))
    return `the score's collects is ${shown(created.collects)}, not a finite number of items`;
  if (created.close !== undefined && typeof created.close !== 'function')
    return `the score's close is ${shown(created.close)}, not a function`;
  return undefined;
}
