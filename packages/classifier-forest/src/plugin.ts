import { definePlugin } from '@plexus/core';
import { randomForestFactory } from './forest-score.js';

/** The `forest` plugin: `forest/random-forest`. */
export const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'forest',
  factories: [randomForestFactory],
});
