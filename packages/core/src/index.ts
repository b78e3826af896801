export {
  type CacheFolderStats,
  type CompactionResult,
  cacheFolderStats,
  cacheFolders,
  cacheKey,
  cacheWriteFailure,
  collectCacheWarnings,
  compactCacheFolder,
  DirectoryCache,
  directoryCache,
  onCacheWarning,
  parseSize,
  type ResultCache,
} from './cache.js';
export { defaultCacheDir } from './cache-dir.js';
export {
  type CalibrationFile,
  calibratedScore,
  calibrationFileSchema,
} from './calibrated-score.js';
export {
  type CompareErrors,
  type CompareOptions,
  compareRuns,
  type RunComparison,
  type ScoreComparison,
} from './compare.js';
export type { GoldDifference } from './compare-gold.js';
export { skipReason } from './conditions.js';
export { type CsvEvent, CsvParser } from './dataset/csv-parser.js';
export {
  type DatasetItem,
  type DatasetOptions,
  type DatasetProblem,
  goldColumns,
  itemOfRecord,
  readDataset,
} from './dataset/dataset.js';
export { countRows, type RowCount } from './dataset/row-count.js';
export { type DatasetFormat, formatOf } from './dataset/row-sources.js';
export { orderByDependencies } from './dependency-graph.js';
export {
  type EngineItem,
  type EngineOptions,
  type EngineResult,
  resultLines,
  runEngine,
} from './engine.js';
export {
  type ConfigProblem,
  DatasetError,
  errorMessage,
  formatProblem,
  InvalidConfigError,
  MissingDependencyError,
  PlexusError,
  RunStoreError,
  ScoreCallError,
  stopsRun,
  TrackerError,
} from './errors.js';
export { type EvaluateOptions, evaluate, type RunSummary } from './evaluate.js';
export {
  type ExternalLine,
  type ExternalResults,
  externalResults,
  type ItemSource,
  replayResults,
} from './external-results.js';
export { FileSystemError, fileSystemError, fileSystemMeaning } from './file-system-error.js';
export { hashValue, sha256, stableStringify } from './hash.js';
export { type GoldSource, withGold } from './item-gold.js';
export { type LabelNormalization, matchLabel, normalizeLabel } from './labels.js';
export {
  defaultItemTextChars,
  type LineStorageOptions,
  type LineText,
  textOfLine,
  withoutPrompts,
} from './line-storage.js';
export {
  closeScorecard,
  type LoadedScore,
  type LoadedScorecard,
  type ScoreDependency,
} from './loaded-scorecard.js';
export { fieldValue, numericField, numericValue } from './metadata-values.js';
export { bootstrapIntervals } from './metrics/bootstrap.js';
export {
  applyCalibration,
  type CalibrationMap,
  type CalibrationMetrics,
  CalibrationTally,
  calibrationMetrics,
  fitIsotonic,
  fitPlatt,
  type ReliabilityBin,
} from './metrics/calibration.js';
export {
  type AveragedMetric,
  type MatrixMetrics,
  matrixMetrics,
} from './metrics/classification.js';
export { ConfusionCounts } from './metrics/confusion.js';
export { mcnemarExact } from './metrics/mcnemar.js';
export { type ScoreMetrics, ScoreMetricsAccumulator } from './metrics/score-metrics.js';
export {
  checkModelOverwrite,
  forestModelKind,
  type ModelFileKind,
  modelWriteTarget,
  resolveModelPath,
  trainedModelKinds,
} from './model-path.js';
export { hasName, nameRecord, nameRecordOf, nameValue, setName } from './name-records.js';
export { checkOutput, errorOutput } from './output-check.js';
export { type FoundPackage, findPackage } from './package-lookup.js';
export { foldCodePoint, PhraseIndex, type PhraseIndexOptions } from './phrase-index.js';
export {
  negationBefore,
  type PhraseHit,
  PhraseMatcher,
  type PhraseMatcherOptions,
  type RatioFunction,
} from './phrase-matcher.js';
export { builtInPlugins, PluginResolver, parseScoreClass } from './plugin-resolver.js';
export { type PredictOptions, predict } from './predict.js';
export {
  applyProcessor,
  applyProcessors,
  applyProcessorsAsync,
  bindProcessors,
  hasAsyncProcessor,
  type ProcessorConfig,
  processorSchema,
} from './processors.js';
export {
  type DataProvenance,
  type GoldDigest,
  GoldDigests,
  hashFile,
  sameGold,
} from './provenance.js';
export {
  agreementFile,
  type FeedbackAgreementFile,
  readAgreement,
} from './report/agreement-section.js';
export {
  itemTableHead,
  renderCalls,
  renderExplanation,
  renderItemRow,
  renderItemTable,
  renderItemText,
} from './report/item-row.js';
export {
  defaultMaxRowsPerScore,
  type ReportData,
  type ReportRow,
  ReportRows,
  readReportData,
  type ScoreRows,
} from './report/report-data.js';
export {
  navigation,
  reportContentSecurityPolicy,
  reportPage,
  runMeta,
} from './report/report-page.js';
export { reportStyle } from './report/report-style.js';
export { scoreItems } from './report/score-items.js';
export { predictedDistribution, scoreSection } from './report/score-section.js';
export { costCell, summaryRow, summaryTable } from './report/summary-section.js';
export { highlightsOf, type TracedCallEntry, tracedCalls } from './report/trace-reading.js';
export { writeReport } from './report/write-report.js';
export { type ResultLine, toResultLine } from './result-line.js';
export { runIdOf } from './run/run-stream.js';
export {
  abandonOpenRuns,
  RunFolder,
  type RunInfo,
  type RunMetricsFile,
  type RunStatus,
} from './run-folder.js';
export { type LockHolder, lockState, RunLock } from './run-lock.js';
export { RunMetrics, type RunTotals } from './run-metrics.js';
export type * from './run-sink-spec.js';
export { defineRunSink } from './run-sink-spec.js';
export { deadRunReason, effectiveRunInfo, readRunInfo } from './run-state.js';
export { ExpressionError, parseSafeExpression, type SafeExpression } from './safe-expression.js';
export { firstItems, sampleItems, seededRandom, stratifiedSample } from './sampling.js';
export { selectScores } from './score-selection.js';
export type * from './score-spec.js';
export { definePlugin, defineScoreFactory } from './score-spec.js';
export {
  type LoadScorecardOptions,
  loadScorecard,
  maxScorecardBytes,
  type ParseScorecardOptions,
  parseScorecard,
} from './scorecard-loader.js';
export {
  type DataConfig,
  type ScorecardFile,
  scorecardJsonSchema,
  scorecardSchema,
  scoreSchema,
} from './scorecard-schema.js';
export {
  clearSecrets,
  hasSecrets,
  redact,
  redactedText,
  registerAuthorization,
  registerEnvironmentSecrets,
  registerSecret,
  registerUrlCredentials,
  registerUrlCredentialsIn,
  shortestSecret,
} from './secrets.js';
export {
  cosine,
  type SemanticConfig,
  semanticText,
  type TextEmbedder,
} from './semantic-processor.js';
export { closest } from './suggest.js';
export {
  type SweepOptions,
  type SweepResult,
  type SweepTracker,
  sweep,
} from './sweep/sweep.js';
export {
  loadSweepFile,
  type SweepFile,
  type SweepMetric,
  type SweepSpec,
  sweepMetrics,
  sweepSchema,
  sweepTrials,
  type TrialParameters,
  withParameters,
} from './sweep/sweep-file.js';
export { rankTrials, type SweepInfo, type TrialRecord } from './sweep/sweep-folder.js';
export { kFolds } from './sweep/sweep-trial.js';
export { terminalSafe } from './text/terminal-safe.js';
export {
  checkTestFraction,
  type SplitMethod,
  splitItems,
  type TrainedScore,
  type TrainOptions,
  train,
} from './train.js';
export {
  hashSplit,
  idFraction,
  type LabelledItem,
  measureScore,
  readTrainData,
  shuffle,
  stratifiedSplit,
  type TrainData,
  trainableScores,
  trainEnv,
  trainingDataPath,
} from './train-data.js';
export { splitTurns, type Turn, TurnReader, turnAt } from './turns.js';
export { indelRatio, type WindowConfig, windowText } from './window-processor.js';
