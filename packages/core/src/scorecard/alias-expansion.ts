/**
 * Values an alias (`*name`) may add to a parsed file beyond the file's own: a file of 2 MB with a
 * list of a million phrases used 99 times (under the alias count the parser allows) expanded to
 * 99 million phrases: `validate` ran for minutes and took 4.5 GB. Writing a list out once and
 * reusing it a few times (`labels: *yes_no`) adds little.
 */
export const maxAliasedValues = 1_000_000;

/**
 * Whether the values aliases repeat in a parsed file (each list element or map value reached a
 * second time through a shared node) exceed `limit`. Stops as soon as they do, so its work is at
 * most the file's own values plus `limit`. A node that contains itself (`&a [*a]`) repeats without
 * end and exceeds any limit.
 */
export function aliasesExpandPast(raw: unknown, limit = maxAliasedValues): boolean {
  const seen = new Set<object>();
  let repeated = 0;
  const stack: { value: unknown; again: boolean }[] = [{ value: raw, again: false }];
  while (stack.length > 0) {
    const { value, again: parentAgain } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    const again = parentAgain || seen.has(value);
    if (!again) seen.add(value);
    const children = Array.isArray(value) ? value : Object.values(value);
    if (again) {
      repeated += children.length;
      if (repeated > limit) return true;
    }
    for (const child of children) stack.push({ value: child, again });
  }
  return false;
}

/**
 * List items and lines a parsed file may have (commas and line breaks, counted before parsing): a
 * scorecard of a million one-letter phrases (2 MB, under the 10 MiB limit) took the parser 1.2 GB
 * and 4 s of CPU, and 10 MiB holds five times as many. 350,000 keyword phrases (what 10 MiB holds
 * of real ones) stay well under the limit.
 */
export const maxSeparators = 1_000_000;

/** The commas and line breaks of a text, counting stopped past `limit`. */
export function separatorsPast(source: string, limit = maxSeparators): number | undefined {
  let count = 0;
  for (let index = 0; index < source.length; index += 1) {
    const code = source.charCodeAt(index);
    if (code === 44 || code === 10) {
      count += 1;
      if (count > limit) return count;
    }
  }
  return undefined;
}
