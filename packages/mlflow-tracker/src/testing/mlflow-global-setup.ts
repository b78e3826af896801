// vitest globalSetup: one real MLflow server for all of a package's test files (each file used to
// start its own: a Python process importing mlflow, a few CPU seconds each). Files read it with
// `inject('mlflowServer')`; they use their own experiment names, so they share it safely. A test
// that kills or restarts a server starts its own with `startMlflowServer`.
import type { TestProject } from 'vitest/node';
import { startMlflowServer } from './mlflow-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The package's shared MLflow server: its URI and the Python of its virtual environment. */
    mlflowServer: { uri: string; python: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMlflowServer();
  project.provide('mlflowServer', { uri: server.uri, python: server.python });
  return () => server.stop();
}
