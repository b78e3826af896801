export { registryFiles, registryUris } from './registry-models.js';
export { type SparkOptions, sparkFiles, submitArguments } from './spark-job.js';
export { RunnerError, type SubmitOptions, sparkSubmit } from './spark-process.js';
export { lineOfRow, readSparkResults } from './spark-results.js';
export { runOnSpark } from './spark-submit.js';
export { type SparkTrained, type SparkTrainOptions, trainOnSpark } from './spark-train.js';
