import { definePlugin } from '@plexus/core';
import { readabilityFactory } from './readability-score.js';

export { readingEase, syllables } from './flesch.js';
export { readabilityFactory } from './readability-score.js';

/** The plugin Plexus finds by this package's name: `class: plexus-score-readability/readability`. */
export const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'plexus-score-readability',
  factories: [readabilityFactory],
});
