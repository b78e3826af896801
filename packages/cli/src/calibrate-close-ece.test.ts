import { expect, it } from 'vitest';
import { beforeAfter } from './commands/calibrate.js';

// A map that made the held-out answers worse calibrated by less than 0.0005 of ECE was written
// "not used: it makes the held-out answers worse calibrated (ECE 0.031 → 0.031)": two equal
// figures beside the word worse.
it('prints ECE before and after with the digits that show them apart', () => {
  expect(beforeAfter(0.03104, 0.03121)).toBe('0.0310 → 0.0312');
  expect(beforeAfter(0.05, 0.375)).toBe('0.050 → 0.375');
  expect(beforeAfter(0.2, 0.2)).toBe('0.200 → 0.200');
  expect(beforeAfter(0.1234561, 0.1234562)).toBe('0.123456 → 0.123456');
});
