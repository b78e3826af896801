import { defineConfig } from 'vitest/config';

// These tests start `plexus` as a process, several times per test: slow when the machine is busy.
export default defineConfig({ test: { testTimeout: 600_000, hookTimeout: 900_000 } });
