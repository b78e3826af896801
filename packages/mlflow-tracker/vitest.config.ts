import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// Tests that talk to local servers or worker threads: slow when turbo runs every package at once.
// One MLflow server for every test file (its first start may create the Python environment).
export default defineConfig({
  test: {
    maxWorkers,
    testTimeout: 600_000,
    hookTimeout: 900_000,
    globalSetup: ['src/testing/mlflow-global-setup.ts'],
  },
});
