import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// The local LLM answers one request at a time on the CPU: the full run takes a minute or two.
export default defineConfig({ test: { maxWorkers, testTimeout: 600_000, hookTimeout: 900_000 } });
