import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// Tests that talk to local servers or worker threads: slow when turbo runs every package at once.
export default defineConfig({ test: { maxWorkers, testTimeout: 600_000, hookTimeout: 900_000 } });
