import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// Thousands of fuzzed cases per property, with fixed seeds.
export default defineConfig({ test: { maxWorkers, testTimeout: 300_000, hookTimeout: 300_000 } });
