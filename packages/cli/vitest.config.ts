import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// These tests start `plexus` as a process, several times per test: slow when the machine is busy.
export default defineConfig({ test: { maxWorkers, testTimeout: 600_000, hookTimeout: 900_000 } });
