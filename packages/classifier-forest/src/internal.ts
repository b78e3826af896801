// `@plexus/classifier-forest/internal`: the training pieces a runner assembles itself (Spark's
// `plexus spark train`: term statistics per partition, trees per shard, one model file at the end).
// Not the package's public API: names and signatures here may change in any release, in step with
// `@plexus/spark-runner`. Users train with `trainForest` or `plexus train` from the main entry.
export {
  type FeatureSource,
  Featurizer,
  type FeaturizerJson,
  type FitOptions,
  type SparseVector,
  type TermStatistics,
  termStatistics,
} from './featurizer.js';
export { type ForestFile, ForestModel } from './forest-model.js';
export { forestFacts, forestModelTarget, writeForestModel } from './forest-score.js';
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
  treeSeed,
} from './forest-trainer.js';
export { plugin } from './plugin.js';
