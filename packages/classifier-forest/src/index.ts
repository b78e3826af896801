export {
  type FeatureSource,
  Featurizer,
  type FeaturizerJson,
  type FitOptions,
  type SparseVector,
} from './featurizer.js';
export { type ForestFile, ForestModel, type ForestPrediction } from './forest-model.js';
export { loadForestModel, randomForestFactory } from './forest-score.js';
export { type ForestSettings, forestSettingsSchema } from './forest-settings.js';
export { type TrainedForest, type TrainForestOptions, trainForest } from './forest-trainer.js';
// Spark's training pieces (term statistics, shards, assembly) are in
// `@plexus/classifier-forest/internal`, not here: they change with the runner, not with users.
export { plugin, plugin as default } from './plugin.js';
