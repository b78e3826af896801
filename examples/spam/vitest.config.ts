import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

export default defineConfig({ test: { maxWorkers, testTimeout: 600_000, hookTimeout: 900_000 } });
