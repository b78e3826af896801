// Settings every package's vitest.config.ts shares.
import { availableParallelism } from 'node:os';

/**
 * Test files run at once per package. `pnpm test` runs two packages at a time (turbo
 * `--concurrency=2`, see the root package.json), so each package gets half the cores: one on the
 * 2-core machines CI and development use, where more workers only fight over the same cores.
 */
export const maxWorkers = Math.max(1, Math.floor(availableParallelism() / 2));
