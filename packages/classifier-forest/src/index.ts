export {
  type FeatureSource,
  Featurizer,
  type FeaturizerJson,
  type FitOptions,
  type SparseVector,
  type TermStatistics,
  termStatistics,
} from './featurizer.js';
export { type ForestFile, ForestModel, type ForestPrediction } from './forest-model.js';
export {
  forestFacts,
  forestModelTarget,
  loadForestModel,
  randomForestFactory,
  writeForestModel,
} from './forest-score.js';
export { type ForestSettings, forestSettingsSchema } from './forest-settings.js';
export {
  assembleForest,
  classCountsOf,
  classWeights,
  featureProblem,
  fitOptions,
  fitSources,
  type GrownShard,
  growShard,
  itemsByShard,
  shardOf,
  shardTrees,
  type TrainedForest,
  type TrainForestOptions,
  trainForest,
  treeSeed,
} from './forest-trainer.js';
export { plugin, plugin as default } from './plugin.js';
