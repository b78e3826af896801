import { describe, expect, it } from 'vitest';
import { isLinearPattern, maxSteps } from './linear-pattern.js';

/** Times one exec of `source` on `text`, in CPU milliseconds. */
function cpuMilliseconds(source: string, text: string): number {
  const regex = new RegExp(source);
  const start = process.cpuUsage();
  regex.exec(text);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('isLinearPattern counts the steps from each position, not only the ways', () => {
  it('keeps the time limit for few alternatives followed by a long stretch', () => {
    // 256 ways (allowed alone), each followed by 1,000 characters before a `^` that fails in the
    // middle of a text: ~256,000 steps per position, 1.8 CPU s on 20,000 characters.
    const slow = `${'(.|..)'.repeat(8)}${'.'.repeat(1000)}^`;
    expect(isLinearPattern(slow)).toBe(false);
    expect(isLinearPattern(`${'(.|..)'.repeat(8)}${'.'.repeat(1000)}\\bz`)).toBe(false);
    // The same alternatives with a short tail stay under the bound.
    expect(isLinearPattern(`${'(.|..)'.repeat(8)}.^`)).toBe(true);
  });

  it('allows what the bound allows: a pattern at the bound is fast on a long text', () => {
    // Hand count: a group `(.|.|.|.)` is 4 ways of 2 steps (entering the alternative, one `.`),
    // 8 steps; 4 in a row from 1 step: 1 + 1*8 + 4*8 + 16*8 + 64*8 = 681 steps, 256 ways; then
    // each `.` or `^` is 256 steps: 12 dots and `^` make 681 + 13 * 256 = 4,009, one more 4,265.
    const atBound = `${'(.|.|.|.)'.repeat(4)}${'.'.repeat(12)}^`;
    expect(isLinearPattern(atBound)).toBe(true);
    expect(isLinearPattern(`${'(.|.|.|.)'.repeat(4)}${'.'.repeat(13)}^`)).toBe(false);
    const text = 'xxxxxxxxxy'.repeat(10_000);
    // ~0.12 CPU s on a quiet machine; the bound is what keeps it far below the 1 s limit.
    expect(cpuMilliseconds(atBound, text)).toBeLessThan(1000);
    expect(maxSteps).toBe(4096);
  });

  it('keeps the time limit for string alternatives in a class (`\\q{…|…}`, flag v)', () => {
    // `[\q{x|xx}y]` is an alternation of 3 ways in one class: 12 in a row then 200 classes ran
    // 0.35 CPU s on 10,000 characters, twice as long per class more. A score's flags are i, m, s
    // and u today (no v), so this guards the check itself, for a later flag v.
    const strings = `${'[\\q{x|xx}y]'.repeat(12)}${'[xy]'.repeat(200)}^`;
    expect(() => new RegExp(strings, 'v')).not.toThrow();
    expect(isLinearPattern(strings)).toBe(false);
    expect(isLinearPattern('[\\q{x|xx}]')).toBe(false);
    // A nested class ends this reader's class early: the `\q` after it is still seen.
    expect(isLinearPattern('[[a]\\q{x|xx}]')).toBe(false);
  });
});
