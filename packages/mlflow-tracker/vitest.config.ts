import { defineConfig } from 'vitest/config';

// Tests that talk to local servers or worker threads: slow when turbo runs every package at once.
export default defineConfig({ test: { testTimeout: 600_000, hookTimeout: 900_000 } });
