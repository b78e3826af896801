export {
  batchLimits,
  type Experiment,
  MlflowClient,
  type MlflowClientOptions,
  type ModelVersion,
  type Run,
} from './mlflow-client.js';
export {
  type MlflowTrackerOptions,
  type MlflowTrackerSink,
  mlflowTracker,
  type TrackedRun,
} from './mlflow-tracker.js';
export {
  type ModelKind,
  mlmodelFile,
  parseModelUri,
  type RegisterOptions,
  registerModel,
} from './model-registry.js';
export {
  mlflowModelResolver,
  modelVersionOf,
  type ResolvedModel,
  resolvedModels,
  resolveModelUri,
} from './model-resolver.js';
export { type SyncOptions, type SyncResult, startRun, syncRun } from './run-sync.js';
export { mlflowKey, mlflowName, runMetrics, runParams, scoreKey } from './run-values.js';
export {
  aliasedVersion,
  mlflowSweepTracker,
  type RegisterBestOptions,
  registerBest,
  testMetrics,
} from './sweep-tracking.js';
export {
  registeredModelName,
  registerTrainedModels,
  type TrainedModel,
} from './trained-models.js';
