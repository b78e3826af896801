import { describe, expect, it } from 'vitest';
import { type LabelNormalization, normalizedLabel, normalizeLabel } from './labels.js';

describe('normalizedLabel', () => {
  it('gives what normalizeLabel gives, for each normalisation, asked again and again', () => {
    const labels = ['Yes', 'yes.', ' NO ', 'N/A', 'none!', '', 'Maybe?', 'Ünïcode', '__proto__'];
    const normalizations: (LabelNormalization | undefined)[] = [
      undefined,
      {},
      { case: false },
      { na: false },
      { case: false, na: false },
    ];
    for (let round = 0; round < 3; round += 1)
      for (const normalization of normalizations)
        for (const label of labels)
          expect(normalizedLabel(label, normalization)).toBe(normalizeLabel(label, normalization));
    // Case kept: `Yes` and `yes` stay apart once remembered under another normalisation.
    expect(normalizedLabel('Yes', { case: false })).toBe('Yes');
    expect(normalizedLabel('Yes')).toBe('yes');
  });

  it('stays right past the labels it remembers (free text)', () => {
    for (let index = 0; index < 3000; index += 1) {
      const label = `Label ${index}.`;
      expect(normalizedLabel(label)).toBe(`label ${index}`);
    }
  });
});
