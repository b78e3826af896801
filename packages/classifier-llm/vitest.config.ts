import { defineConfig } from 'vitest/config';
import { waitingMaxWorkers } from '../../vitest.shared.js';

// Tests that talk to local servers or worker threads: slow when turbo runs every package at once.
// isolate: false: the test files of a worker share one module graph instead of importing the
// package again per file (22 files: 11.0 CPU s instead of 18.3, bench/RESULTS.md). Each sets
// only its own environment variables (score-needs.test.ts restores OPENAI_API_KEY).
// Every file starts with no shared limiter (src/testing/fresh-limiters.ts): a later file's test
// server may get an earlier file's port, the key of the process-wide limiter.
// Two files at once: they mostly wait on the test server's latencies (vitest.shared.ts).
export default defineConfig({
  test: {
    maxWorkers: waitingMaxWorkers,
    isolate: false,
    setupFiles: ['./src/testing/fresh-limiters.ts'],
    testTimeout: 60_000,
  },
});
