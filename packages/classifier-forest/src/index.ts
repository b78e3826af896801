export {
  type FeatureSource,
  Featurizer,
  type FeaturizerJson,
  type SparseVector,
} from './featurizer.js';
export { type ForestFile, ForestModel, type ForestPrediction } from './forest-model.js';
export { loadForestModel, randomForestFactory } from './forest-score.js';
export { type ForestSettings, forestSettingsSchema } from './forest-settings.js';
export {
  type TrainedForest,
  type TrainForestOptions,
  trainForest,
  treeSeed,
} from './forest-trainer.js';
export { plugin, plugin as default } from './plugin.js';
