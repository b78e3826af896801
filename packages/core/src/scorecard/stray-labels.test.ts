import { describe, expect, it } from 'vitest';
import { strayLabels } from './stray-labels.js';

describe("gold labels that are none of the score's", () => {
  it('names the label a number was written for, not a lookalike one letter away', () => {
    // A spreadsheet's export wrote 1 as 1.0: it said '"1.0" ×2; did you mean "0"?'.
    const found = strayLabels(
      [
        ['1.0', 2],
        ['0.0', 1],
        ['1', 1],
      ],
      ['0', '1'],
    );
    expect(found).toEqual({
      labelled: 4,
      stray: 3,
      listed:
        '"1.0" ×2; the label "1" written another way: write the gold as "1" (labels compare as text), "0.0" ×1; the label "0" written another way: write the gold as "0" (labels compare as text)',
    });
  });

  it('still offers a lookalike for a typo, and nothing for a number no label is', () => {
    const found = strayLabels(
      [
        ['yse', 3],
        ['2', 1],
      ],
      ['yes', 'no', '1'],
    );
    expect(found?.listed).toBe('"yse" ×3; did you mean "yes"?, "2" ×1');
  });
});
