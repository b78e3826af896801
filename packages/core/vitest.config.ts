import { defineConfig } from 'vitest/config';

// Integration tests read and write real files; give them room on a busy machine.
export default defineConfig({ test: { testTimeout: 60_000 } });
