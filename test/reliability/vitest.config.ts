import { defineConfig } from 'vitest/config';

// Thousands of fuzzed cases per property, with fixed seeds.
export default defineConfig({ test: { testTimeout: 300_000, hookTimeout: 300_000 } });
