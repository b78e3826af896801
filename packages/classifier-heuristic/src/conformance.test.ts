import { describeScoreConformance } from '@plexus/core/testing';
import { keywordsFactory } from './keywords-score.js';
import { logicFactory } from './logic-score.js';
import { regexFactory } from './regex-score.js';
import { thresholdFactory } from './threshold-score.js';

describeScoreConformance('heuristic/keywords', {
  factory: keywordsFactory,
  settings: { phrases: ['help you'], speaker: 'agent', fuzzy: { threshold: 85 } },
  otherSettings: { phrases: ['card'] },
  invalidSettings: { phrases: [] },
  labels: ['yes', 'no'],
});

describeScoreConformance('heuristic/regex', {
  factory: regexFactory,
  settings: { patterns: ['(?P<thing>card|account)'] },
  otherSettings: { patterns: ['help'] },
  invalidSettings: { patterns: [{ pattern: 'x', flags: 'g' }] },
  labels: ['yes', 'no'],
});

describeScoreConformance('heuristic/threshold', {
  factory: thresholdFactory,
  settings: {
    field: 'duration_seconds',
    rules: [{ when: '> 60', label: 'long' }],
    otherwise: 'short',
    on_missing: 'short',
  },
  otherSettings: {
    field: 'duration_seconds',
    rules: [{ when: '> 100', label: 'long' }],
    otherwise: 'short',
    on_missing: 'short',
  },
  invalidSettings: { field: 'x', rules: [{ when: 'about 5', label: 'a' }], otherwise: 'b' },
  labels: ['long', 'short'],
});

describeScoreConformance('heuristic/logic', {
  factory: logicFactory,
  settings: {
    rules: [{ when: 'metadata.duration_seconds > 60 and text in "card"', label: 'yes' }],
    otherwise: 'no',
  },
  otherSettings: {
    rules: [{ when: 'metadata.duration_seconds > 10', label: 'yes' }],
    otherwise: 'no',
  },
  invalidSettings: { rules: [], otherwise: 'no' },
  labels: ['yes', 'no'],
});
