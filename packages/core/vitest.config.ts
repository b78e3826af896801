import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// Integration tests read and write real files; give them room on a busy machine.
// isolate: false: the test files of a worker share one module graph instead of importing core
// again per file (56 files: 22.5 CPU s instead of 36.3, bench/RESULTS.md). Each file still runs
// alone (`npx vitest run <file>`); none changes globals, timers or modules for the others.
export default defineConfig({ test: { maxWorkers, isolate: false, testTimeout: 60_000 } });
