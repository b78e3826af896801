import { expect, it } from 'vitest';
import { readLabel } from './label-parsing.js';

// A small model that runs on in blanks: a line of 200,000 spaces between two words took the
// check for a label alone on a line (its markup stripped by a regular expression) 18 s of CPU.
it('reads an answer whose line runs on in blanks in linear time', () => {
  const blanks = ' '.repeat(200_000);
  const answer = `I think${blanks}it is ham\nspam is not it${blanks}.`;
  const started = process.cpuUsage();
  const reading = readLabel(answer, ['spam', 'ham']);
  const used = process.cpuUsage(started);
  // The last line names spam only (not alone): its label.
  expect(reading).toEqual({ label: 'spam' });
  expect((used.user + used.system) / 1e6).toBeLessThan(1);
});
