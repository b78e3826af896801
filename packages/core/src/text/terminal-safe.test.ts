import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-safe.js';

describe('terminalSafe', () => {
  it('escapes what a terminal acts on and keeps newlines, tabs and other text', () => {
    expect(terminalSafe('\u001b]0;title\u0007a\u001b[2J')).toBe(
      '\\u001b]0;title\\u0007a\\u001b[2J',
    );
    expect(terminalSafe('x\ry\u0000z\u007f\u009b2J')).toBe('x\\u000dy\\u0000z\\u007f\\u009b2J');
    expect(terminalSafe('abc\u202edef\u2066')).toBe('abc\\u202edef\\u2066');
    const plain = 'line one\n\tline two: café 😀 — ok';
    expect(terminalSafe(plain)).toBe(plain);
  });

  it('escaped JSON still parses to the same value', () => {
    const value = { id: '\u009b2J\u001b[31m', text: 'a\u202eb' };
    expect(JSON.parse(terminalSafe(JSON.stringify(value)))).toEqual(value);
  });
});
