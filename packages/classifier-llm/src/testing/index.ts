export type { BatchOutcome, BatchServerOptions } from './batch-endpoints.js';
export {
  type Decision,
  type Fault,
  startTestServer,
  type TestServer,
  type TestServerOptions,
  type TestServerStats,
} from './openai-test-server.js';
export {
  type OptimizeScenario,
  type OptimizeScenarioOptions,
  optimizerMarker,
  optimizeScenario,
} from './optimize-scenario.js';
