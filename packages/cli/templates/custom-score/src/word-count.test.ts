import { describeScoreConformance } from '@plexus/core/testing';
import { expect, it } from 'vitest';
import { countWords, wordCountFactory } from './word-count-score.js';

// The checks every Plexus score passes: settings validated, one output per item in order, labels
// kept to, the same fingerprint for the same settings, cancellation honoured.
describeScoreConformance('__NAME__/word-count', {
  factory: wordCountFactory,
  settings: {},
  otherSettings: { max_words: 5 },
  invalidSettings: { max_word: 5 },
  labels: ['long', 'short'],
});

it('counts words, not spaces or punctuation', () => {
  expect(countWords('Thanks, see you soon!')).toBe(4);
  expect(countWords('   ')).toBe(0);
  expect(countWords('déjà vu 2 fois')).toBe(4);
});
