import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// Integration tests read and write real files; give them room on a busy machine.
export default defineConfig({ test: { maxWorkers, testTimeout: 60_000 } });
