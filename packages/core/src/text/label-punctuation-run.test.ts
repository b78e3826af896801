import { expect, it } from 'vitest';
import { matchLabel, normalizeLabel } from './labels.js';

// A model's answer can run on in dots ("Let me think.........."): dropping a label's trailing
// `.!?` with a regular expression retried at each dot took seconds for a line of them.
it('drops trailing punctuation in linear time', () => {
  const line = `a${'.'.repeat(100_000)}b`;
  const started = process.cpuUsage();
  expect(matchLabel(line, ['spam', 'ham'])).toBeUndefined();
  const used = process.cpuUsage(started);
  expect((used.user + used.system) / 1e6).toBeLessThan(0.5);
});

it('drops one trailing run of .!? as before', () => {
  expect(normalizeLabel('Ham?!.')).toBe('ham');
  expect(normalizeLabel(' ham . ')).toBe('ham');
  expect(normalizeLabel('ham. .')).toBe('ham.');
  expect(normalizeLabel('...')).toBe('na'); // nothing left: an empty answer
  expect(normalizeLabel('n/a.')).toBe('na');
});
