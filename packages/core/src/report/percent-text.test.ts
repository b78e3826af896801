// A share in the report to one decimal read 0.0% for one item of 3,000 predicted a label, as for
// none, and 100.0% for 2,999 of 3,000.
import { expect, it } from 'vitest';
import { percentText } from './html.js';

it('never rounds a share to 0.0% or 100.0% it is not', () => {
  expect(percentText(1, 3000)).toBe('<0.1%'); // 0.033%
  expect(percentText(0, 3000)).toBe('0.0%');
  expect(percentText(2999, 3000)).toBe('>99.9%'); // 99.967%
  expect(percentText(3000, 3000)).toBe('100.0%');
  expect(percentText(3, 2000)).toBe('0.1%'); // 0.15% rounds to 0.1 or 0.2: not 0.0
  expect(percentText(1, 8)).toBe('12.5%');
  expect(percentText(0, 0)).toBe('—');
});
