export {
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  labelResponseFormat,
} from './chat-provider.js';
export {
  type ClassifierFactoryOptions,
  classifierFactory,
  createClassifierFactory,
} from './classifier-score.js';
export { type ClassifierSettings, classifierSettingsSchema } from './classifier-settings.js';
export { createGraphFactory, graphFactory } from './graph-score.js';
export { type GraphNode, type GraphSettings, graphSettingsSchema } from './graph-settings.js';
export { type HfTaskSettings, hfTaskFactory, hfTaskSettingsSchema } from './hf-task-score.js';
export {
  createHuggingFaceProvider,
  type HuggingFaceProviderOptions,
} from './huggingface-provider.js';
export { lastLabel, parseLabel } from './label-parsing.js';
export { createLlamaCppProvider, type LlamaCppProviderOptions } from './llama-cpp-provider.js';
export { callModel, type ModelCallOptions } from './model-call.js';
export { createOpenAiProvider } from './openai-provider.js';
export type { OpenAiProviderOptions } from './openai-wire.js';
export { plugin, plugin as default } from './plugin.js';
export { callCost, type ModelPrice, modelPrice, pricesAsOf } from './pricing.js';
export { type LimiterOptions, RequestLimiter, sharedLimiter } from './request-limiter.js';
export { defaultRetryPolicy, ProviderCallError, type RetryPolicy } from './retry-policy.js';
