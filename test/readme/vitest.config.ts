import { defineConfig } from 'vitest/config';

// The tutorial runs the local LLM on 20 messages.
export default defineConfig({ test: { testTimeout: 600_000, hookTimeout: 600_000 } });
