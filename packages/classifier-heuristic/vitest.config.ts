import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// Tests that talk to local servers or worker threads: slow when turbo runs every package at once.
// isolate: false: the files share one module graph (pure functions, no global state): 3.8 CPU s
// instead of 5.3 (bench/RESULTS.md).
export default defineConfig({ test: { maxWorkers, isolate: false, testTimeout: 60_000 } });
