import { definePlugin } from '@plexus/core';
import { onnxClassifierFactory } from './onnx-score.js';

/** The `onnx` plugin: `onnx/classifier`. */
export const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'onnx',
  factories: [onnxClassifierFactory],
});
