export {
  createKeywordsFactory,
  type KeywordsFactoryOptions,
  keywordsFactory,
} from './keywords-score.js';
export { type KeywordsSettings, keywordsSettingsSchema } from './keywords-settings.js';
export { logicFactory } from './logic-score.js';
export { type LogicSettings, logicSettingsSchema } from './logic-settings.js';
export { plugin, plugin as default } from './plugin.js';
export { regexFactory } from './regex-score.js';
export { type RegexSettings, regexSettingsSchema } from './regex-settings.js';
export { type Segment, scopeSegments } from './text-scope.js';
export {
  type ThresholdSettings,
  thresholdFactory,
  thresholdSettingsSchema,
} from './threshold-score.js';
