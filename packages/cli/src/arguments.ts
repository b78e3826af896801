import { InvalidConfigError } from '@plexus/core';

/** Parses a whole number option, or throws a bad-input error naming the flag. */
export function wholeNumber(flag: string, minimum = 1): (value: string) => number {
  return (value: string) => {
    // Number('') is 0: an empty value is no number, not zero.
    const parsed = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum) {
      throw new InvalidConfigError([
        { path: flag, message: `expected a whole number >= ${minimum}, got "${value}"` },
      ]);
    }
    return parsed;
  };
}

/**
 * A finite number written in decimals (`0.05`, `2`, `.5`, `1e-3`), else NaN: `Number` reads an
 * empty value (and the empty halves of `,`) as 0, `0x10` as 16 and `Infinity` or `1e999` as a number.
 */
export function decimalNumber(text: string): number {
  const parsed = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i.test(text)
    ? Number(text)
    : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

/** Parses a positive number option (`--max-usd 2.5`), or throws a bad-input error naming the flag. */
export function positiveNumber(flag: string): (value: string) => number {
  return (value: string) => {
    const parsed = decimalNumber(value);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new InvalidConfigError([
        { path: flag, message: `expected a number > 0, got "${value}"` },
      ]);
    }
    return parsed;
  };
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--conf key=value` values as settings. */
export function confOf(values: readonly string[]): Record<string, string> {
  const conf: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0)
      throw new InvalidConfigError([
        { path: '--conf', message: `expected key=value, got "${value}"` },
      ]);
    conf[value.slice(0, at)] = value.slice(at + 1);
  }
  return conf;
}

/** `--test-fraction`: a number in [0, 1). */
export function testFraction(value: string): number {
  // Number('') is 0: an empty value is no number, not zero (no test set).
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!(parsed >= 0 && parsed < 1))
    throw new InvalidConfigError([
      { path: '--test-fraction', message: `expected a number in [0, 1), got "${value}"` },
    ]);
  return parsed;
}
