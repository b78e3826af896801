export { createEmbedder } from './embedder.js';
export { encodeTokens, poolTokens } from './input-feeds.js';
export { type GraphNode, graphNodes, replaceOutputs } from './onnx-graph.js';
export {
  type OnnxRuntimeModule,
  onnxRuntime,
  setOnnxRuntimeLoader,
  sharedSession,
} from './onnx-runtime.js';
export { onnxClassifierFactory } from './onnx-score.js';
export { type OnnxSettings, onnxSettingsSchema } from './onnx-settings.js';
export { plugin, plugin as default } from './plugin.js';
