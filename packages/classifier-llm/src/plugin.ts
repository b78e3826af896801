import { definePlugin } from '@plexus/core';
import { classifierFactory } from './classifier-score.js';
import { graphFactory } from './graph-score.js';
import { hfTaskFactory } from './hf-task-score.js';

/** The `llm` plugin. */
export const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'llm',
  factories: [classifierFactory, graphFactory, hfTaskFactory],
});

export default plugin;
