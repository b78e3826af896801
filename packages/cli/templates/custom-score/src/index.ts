import { definePlugin } from '@plexus/core';
import { wordCountFactory } from './word-count-score.js';

export { wordCountFactory } from './word-count-score.js';

/** The plugin Plexus finds by this package's name: `class: __NAME__/word-count`. */
export const plugin = definePlugin({
  specificationVersion: 'v1',
  name: '__NAME__',
  factories: [wordCountFactory],
});
