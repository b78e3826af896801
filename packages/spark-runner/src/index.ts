export { lineOfRow, readSparkResults } from './spark-results.js';
export {
  RunnerError,
  runOnSpark,
  type SparkOptions,
  type SubmitOptions,
  sparkFiles,
  sparkSubmit,
  submitArguments,
} from './spark-submit.js';
export { type SparkTrained, type SparkTrainOptions, trainOnSpark } from './spark-train.js';
