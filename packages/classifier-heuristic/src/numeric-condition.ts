/** A comparison of a number: `> 600`, `<= 3.5`, `== 2`, `!= 0`, or an inclusive range `300..600`. */
export interface NumericCondition {
  text: string;
  test(value: number): boolean;
}

const comparison = /^\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;
const range = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Parses a condition, or returns undefined when the text is not one. */
export function parseNumericCondition(text: string): NumericCondition | undefined {
  const compared = comparison.exec(text);
  if (compared) {
    const bound = Number(compared[2]);
    const operator = compared[1];
    const tests: Record<string, (value: number) => boolean> = {
      '>': (value) => value > bound,
      '>=': (value) => value >= bound,
      '<': (value) => value < bound,
      '<=': (value) => value <= bound,
      '==': (value) => value === bound,
      '!=': (value) => value !== bound,
    };
    return { text: text.trim(), test: tests[operator!]! };
  }
  const ranged = range.exec(text);
  if (ranged) {
    const low = Number(ranged[1]);
    const high = Number(ranged[2]);
    if (low > high) return undefined;
    return { text: text.trim(), test: (value) => value >= low && value <= high };
  }
  return undefined;
}
