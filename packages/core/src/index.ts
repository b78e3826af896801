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
} from './cache/cache.js';
export { defaultCacheDir } from './cache/cache-dir.js';
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
} from './common/errors.js';
export { FileSystemError, fileSystemError, fileSystemMeaning } from './common/file-system-error.js';
export { hashValue, sha256, stableStringify } from './common/hash.js';
export { isReasoningModel } from './common/reasoning-models.js';
export {
  clearSecrets,
  redact,
  redactedSlice,
  redactedText,
  registerAuthorization,
  registerEnvironmentSecrets,
  registerSecret,
  registerUrlCredentials,
  registerUrlCredentialsIn,
  shortestSecret,
} from './common/secrets.js';
export {
  type CompareErrors,
  type CompareOptions,
  compareRuns,
  type RunComparison,
  type ScoreComparison,
} from './compare/compare.js';
export type { GoldDifference } from './compare/compare-gold.js';
export { type LabelNormalizer, runNormalizers } from './compare/compare-normalization.js';
export { differenceText, pValueText } from './compare/compare-verdict.js';
export { type CsvEvent, CsvParser } from './dataset/csv-parser.js';
export { csvRecords } from './dataset/csv-records.js';
export {
  type DatasetItem,
  type DatasetOptions,
  type DatasetProblem,
  goldColumns,
  type ItemColumns,
  type ItemReader,
  itemOfRecord,
  itemReader,
  readDataset,
  readDatasetBatches,
} from './dataset/dataset.js';
export { type GoldSource, withGold } from './dataset/item-gold.js';
export { fieldValue, numericField, numericValue } from './dataset/metadata-values.js';
export { countRows, type RowCount } from './dataset/row-count.js';
export { type DatasetFormat, formatOf, jsonlRow, type RawRow } from './dataset/row-sources.js';
export { firstItems, sampleItems, seededRandom, stratifiedSample } from './dataset/sampling.js';
export { firstLineNotUtf8 } from './dataset/utf8-check.js';
export { skipReason } from './engine/conditions.js';
export { orderByDependencies } from './engine/dependency-graph.js';
export {
  type EngineItem,
  type EngineOptions,
  type EngineResult,
  resultLineBatches,
  resultLines,
  runEngine,
  runEngineBatches,
} from './engine/engine.js';
export { checkOutput, errorOutput } from './engine/output-check.js';
export { type PredictOptions, predict } from './engine/predict.js';
export {
  ExpressionError,
  parseSafeExpression,
  type SafeExpression,
} from './engine/safe-expression.js';
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
export {
  costText,
  hedgedUnpricedModel,
  isHedgedUnpricedModel,
  keptUnpricedModel,
  lacksPrice,
  olderCostReason,
  type RecordedCost,
  type ShownCost,
  shownCost,
  unknownCostReason,
  unlistedUnknownCostReason,
} from './metrics/cost-shown.js';
export { mcnemarExact } from './metrics/mcnemar.js';
export { RunMetrics, type RunTotals } from './metrics/run-metrics.js';
export { isTimed, type ScoreMetrics, ScoreMetricsAccumulator } from './metrics/score-metrics.js';
export {
  applyProcessor,
  applyProcessors,
  applyProcessorsAsync,
  bindProcessors,
  hasAsyncProcessor,
  type ProcessorConfig,
  processorSchema,
} from './processors/processors.js';
export {
  cosine,
  type SemanticConfig,
  semanticText,
  type TextEmbedder,
} from './processors/semantic-processor.js';
export { type WindowConfig, windowText } from './processors/window-processor.js';
export {
  agreementFile,
  chanceCorrected,
  type FeedbackAgreementFile,
  readAgreement,
  staleAgreementReason,
} from './report/agreement-section.js';
export { isolatedText } from './report/bidi.js';
export { escapeHtml, percentText, shareText } from './report/html.js';
export {
  itemTableHead,
  renderCalls,
  renderExplanation,
  renderItemRow,
  renderItemTable,
  renderItemText,
} from './report/item-row.js';
export { runFolderStaleMetrics } from './report/metrics-freshness.js';
export {
  defaultMaxRowsPerScore,
  type ReportData,
  type ReportRow,
  ReportRows,
  readReportData,
  type ScoreRows,
} from './report/report-data.js';
export {
  durationText,
  navigation,
  reportContentSecurityPolicy,
  reportPage,
  runMeta,
} from './report/report-page.js';
export { reportStyle } from './report/report-style.js';
export { scoreItems } from './report/score-items.js';
export { latencyText, predictedDistribution, scoreSection } from './report/score-section.js';
export { costCell, summaryRow, summaryTable } from './report/summary-section.js';
export { highlightsOf, type TracedCallEntry, tracedCalls } from './report/trace-reading.js';
export { writeReport } from './report/write-report.js';
export { type EvaluateOptions, evaluate, type RunSummary } from './run/evaluate.js';
export {
  type ExternalLine,
  type ExternalResults,
  externalResults,
  type ItemSource,
  replayResults,
} from './run/external-results.js';
export { jsonWarmUpLines, resultLineJson } from './run/line-json.js';
export {
  defaultItemTextChars,
  type LineStorageOptions,
  type LineText,
  textOfLine,
  withoutPrompts,
} from './run/line-storage.js';
export { assertNewRunFolder } from './run/new-run-folder.js';
export {
  type DataProvenance,
  type GoldDigest,
  GoldDigests,
  hashFile,
  sameGold,
} from './run/provenance.js';
export { type ResultLine, toResultLine } from './run/result-line.js';
export {
  abandonOpenRuns,
  RunFolder,
  type RunInfo,
  type RunMetricsFile,
  type RunStatus,
} from './run/run-folder.js';
export { type LockHolder, lockState, RunLock } from './run/run-lock.js';
export { type RunSelection, resumedSelection } from './run/run-selection.js';
export { deadRunReason, effectiveRunInfo, readRunInfo } from './run/run-state.js';
export { runIdOf } from './run/run-stream.js';
export { shellWord } from './run/shell-word.js';
export {
  type CalibrationFile,
  calibratedScore,
  calibrationFileSchema,
} from './scorecard/calibrated-score.js';
export {
  closeScorecard,
  type LoadedScore,
  type LoadedScorecard,
  type ScoreDependency,
} from './scorecard/loaded-scorecard.js';
export { type FoundPackage, findPackage } from './scorecard/package-lookup.js';
export { builtInPlugins, PluginResolver, parseScoreClass } from './scorecard/plugin-resolver.js';
export { selectScores } from './scorecard/score-selection.js';
export {
  type LoadScorecardOptions,
  loadScorecard,
  maxScorecardBytes,
  type ParseScorecardOptions,
  parseScorecard,
} from './scorecard/scorecard-loader.js';
export {
  type DataConfig,
  type ScorecardFile,
  scorecardJsonSchema,
  scorecardSchema,
  scoreSchema,
} from './scorecard/scorecard-schema.js';
export { type StrayLabels, strayLabels } from './scorecard/stray-labels.js';
export {
  checkModelOverwrite,
  forestModelKind,
  type ModelFileKind,
  modelWriteTarget,
  resolveModelPath,
  trainedModelKinds,
} from './spec/model-path.js';
export type * from './spec/run-sink-spec.js';
export { defineRunSink } from './spec/run-sink-spec.js';
export type * from './spec/score-spec.js';
export { definePlugin, defineScoreFactory } from './spec/score-spec.js';
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
export { commonLength, indelRatio } from './text/indel-ratio.js';
export { type LabelNormalization, matchLabel, normalizeLabel } from './text/labels.js';
export { hasName, nameRecord, nameRecordOf, nameValue, setName } from './text/name-records.js';
export { foldCodePoint, PhraseIndex, type PhraseIndexOptions } from './text/phrase-index.js';
export {
  FuzzyTimeLimit,
  negationBefore,
  type PhraseHit,
  PhraseMatcher,
  type PhraseMatcherOptions,
  type RatioFunction,
} from './text/phrase-matcher.js';
export { closest } from './text/suggest.js';
export { terminalSafe } from './text/terminal-safe.js';
export {
  speakerName,
  speakerNameSchema,
  splitTurns,
  type Turn,
  TurnReader,
  turnAt,
} from './text/turns.js';
export {
  checkTestFraction,
  type SplitMethod,
  splitItems,
  type TrainedScore,
  type TrainOptions,
  train,
} from './train/train.js';
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
} from './train/train-data.js';
