// Settings every package's vitest.config.ts shares.
import { availableParallelism } from 'node:os';

/** `PLEXUS_TEST_WORKERS`, when set: a whole number of at least 1, else an error naming it. */
function workersFromEnvironment(): number | undefined {
  const value = process.env.PLEXUS_TEST_WORKERS;
  if (value === undefined || value === '') return undefined;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(
      `PLEXUS_TEST_WORKERS: expected a whole number of test files at once (1, 2, ...), got "${value}"`,
    );
  return workers;
}

/**
 * Test files run at once per package. `pnpm test` runs three packages at a time (turbo
 * `--concurrency=3`, see the root package.json; many suites mostly wait), and each package gets
 * half the cores: one on the 2-core machines CI and development use, where more workers only
 * fight over the same cores.
 * `PLEXUS_TEST_WORKERS=N` sets it (e.g. 2, for suites whose files mostly wait on servers and
 * processes), to try another fit without editing this file.
 */
export const maxWorkers =
  workersFromEnvironment() ?? Math.max(1, Math.floor(availableParallelism() / 2));

/**
 * Test files at once for suites whose files mostly wait (test servers with latencies, `plexus`
 * subprocesses, signals): at least 2 even on 2 cores, where a second file uses the CPU the first
 * leaves idle. classifier-llm: 22.4 s wall instead of 40.8 for 14.6 CPU s instead of 13.8;
 * test/reliability: 79 s instead of 154 (bench/RESULTS.md). `PLEXUS_TEST_WORKERS` sets it too.
 */
export const waitingMaxWorkers =
  workersFromEnvironment() ?? Math.max(2, Math.floor(availableParallelism() / 2));
