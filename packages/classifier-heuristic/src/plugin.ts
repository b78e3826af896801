import { definePlugin } from '@plexus/core';
import { keywordsFactory } from './keywords-score.js';
import { logicFactory } from './logic-score.js';
import { regexFactory } from './regex-score.js';
import { thresholdFactory } from './threshold-score.js';

/** The `heuristic` plugin: keywords, regex, threshold and logic scores. */
export const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'heuristic',
  factories: [keywordsFactory, regexFactory, thresholdFactory, logicFactory],
});

export default plugin;
