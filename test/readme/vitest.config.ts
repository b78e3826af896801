import { defineConfig } from 'vitest/config';
import { maxWorkers } from '../../vitest.shared.js';

// The tutorial runs the local LLM on 20 messages.
export default defineConfig({ test: { maxWorkers, testTimeout: 600_000, hookTimeout: 600_000 } });
