import { defineConfig } from 'vitest/config';
import { waitingMaxWorkers } from '../../vitest.shared.js';

// Thousands of fuzzed cases per property, with fixed seeds. Two files at once: most wait on
// `plexus` subprocesses, test servers and signals (vitest.shared.ts).
export default defineConfig({
  test: { maxWorkers: waitingMaxWorkers, testTimeout: 300_000, hookTimeout: 300_000 },
});
