import { describe, expect, it } from 'vitest';
import { applyProcessors, processorSchema } from './processors.js';

describe('a window of fuzzy keywords on a text too long for them', () => {
  it('fails the item saying so, within its time (it ran on for minutes)', () => {
    const long = Array.from({ length: 400_000 }, (_, index) => `word${index % 97}`).join(' ');
    const keywords = Array.from({ length: 50 }, (_, index) => `keyword number ${index} here`);
    const window = { type: 'window', keywords, fuzzy: { threshold: 85, timeout_ms: 200 } };
    expect(() => applyProcessors(long, [processorSchema.parse(window)])).toThrow(
      /the window's fuzzy keywords took longer than 200 ms on this item \(400000 words\): use exact keywords/,
    );
  });
});
