// Starts bench/llm-server.mjs pinned to core 1 (BENCHMARKS.md) and returns its URL and a stop.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** `onStats` gets the server's per-second counters (requests, statuses); `faults` as the test server's. */
export async function startBenchServer(latencyMs, { maxInFlight, onStats, faults } = {}) {
  const args = [join(here, 'llm-server.mjs'), String(latencyMs), String(maxInFlight ?? 0)];
  if (faults) args.push(JSON.stringify(faults));
  const server = spawn('taskset', ['-c', '1', process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: server.stderr }).on('line', (line) => {
    if (line.startsWith('{')) onStats?.(JSON.parse(line));
    else process.stderr.write(`${line}\n`);
  });
  const url = await new Promise((resolve) =>
    createInterface({ input: server.stdout }).once('line', resolve),
  );
  const exited = new Promise((resolve) => server.once('close', resolve));
  return {
    url,
    stop: () => server.kill('SIGTERM'),
    /** Stops the server and waits for it (its last counters reach `onStats` first). */
    end: () => {
      server.kill('SIGTERM');
      return exited;
    },
  };
}
