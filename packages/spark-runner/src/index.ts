export { lineOfRow, readSparkResults } from './spark-results.js';
export {
  RunnerError,
  runOnSpark,
  type SparkOptions,
  sparkFiles,
  submitArguments,
} from './spark-submit.js';
