import { describe, expect, it } from 'vitest';
import { ExpressionError, parseSafeExpression } from './safe-expression.js';

const roots = ['results', 'metadata'];
const nested = (depth: number, open: string, close: string) =>
  `${open.repeat(depth)}results["A"] == "yes"${close.repeat(depth)}`;

describe('expressions nested deeper than the parser goes', () => {
  it('refuses 3,000 parentheses or 6,000 nots with the depth and the fix (it overflowed the stack)', () => {
    for (const source of [nested(3000, '(', ')'), `${'not '.repeat(6000)}results["A"] == "yes"`]) {
      expect(() => parseSafeExpression(source, roots)).toThrow(ExpressionError);
      expect(() => parseSafeExpression(source, roots)).toThrow(
        /nests \d+ levels deep .* write it flatter/,
      );
    }
  });

  it('reads 200 levels, and brackets or nots inside quotes count for nothing', () => {
    const deep = parseSafeExpression(nested(199, '(', ')'), roots);
    expect(deep.evaluate({ results: { A: 'yes' }, metadata: {} })).toBe(true);
    const quoted = parseSafeExpression(`metadata["x"] == "${'((not ['.repeat(300)}"`, roots);
    expect(quoted.evaluate({ results: {}, metadata: { x: '((not ['.repeat(300) } })).toBe(true);
    const words = parseSafeExpression('not (results["notes"] == "knot")', roots);
    expect(words.evaluate({ results: { notes: 'x' }, metadata: {} })).toBe(true);
  });
});
