// Runs the OpenAI-compatible test server in its own process (for `taskset -c 1`), printing its URL.
// Usage: node bench/llm-server.mjs LATENCY_MS [MAX_IN_FLIGHT|0] [FAULTS_JSON [SEED]]
import { startTestServer } from '@plexus/classifier-llm/testing';

const latencyMs = Number(process.argv[2] ?? 50);
const maxInFlight = Number(process.argv[3] ?? 0) || undefined;
const faults = process.argv[4] ? JSON.parse(process.argv[4]) : undefined;
const seed = Number(process.argv[5] ?? 1);
const server = await startTestServer({
  latencyMs,
  maxInFlight,
  retryAfterSeconds: 0.05,
  faults,
  seed,
});
process.stdout.write(`${server.url}\n`);
const report = () =>
  process.stderr.write(
    `${JSON.stringify({ requests: server.stats.requests, maxInFlight: server.stats.maxInFlight, statuses: server.stats.statuses, faults: server.stats.faults })}\n`,
  );
// The last counters on the way out (a run ends between two seconds).
process.on('SIGTERM', () => {
  report();
  server.close().then(() => process.exit(0));
});
setInterval(report, 1000).unref();
