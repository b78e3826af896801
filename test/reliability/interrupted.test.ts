// Interrupted runs against the LLM test server: Ctrl-C finishes the calls in flight and marks the
// run interrupted; kill -9 at seeded random moments, then --resume, gives exactly one result per
// item and score, no LLM call is repeated for an item whose result was stored, and at most the
// calls in flight at each kill are asked again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { seededRandom } from '@plexus/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callBackProject, runCli, sleep, startCli, storedResults, workDir } from './harness.js';

const dir = workDir('interrupted');
const items = 600;
/** Every request the server answered, in order: the item it was for. */
let requests: string[] = [];
let server: TestServer;
let project: ReturnType<typeof callBackProject>;

beforeAll(async () => {
  server = await startTestServer({
    latencyMs: 40,
    answer: ({ text }) => {
      requests.push(/msg-\d+/.exec(text)?.[0] ?? '?');
      return undefined;
    },
  });
  project = callBackProject(dir, 'Interrupted', items, server.url);
});
afterAll(() => server?.close());

const evaluateArgs = (extra: string[]) => project.args(extra);
const env = () => project.env;

function exactlyOnce(run: string) {
  const stored = storedResults(run);
  const pairs = new Set(stored.map((line) => `${line.item}|${line.score}`));
  expect(stored).toHaveLength(items * 2);
  expect(pairs.size).toBe(items * 2);
  expect(stored.every((line) => line.status === 'ok')).toBe(true);
}

it('kill -9 at random moments, then --resume: one result per item and score, no call repeated for stored items', async () => {
  requests = [];
  const run = join(dir, 'killed');
  const random = seededRandom(41);
  const kills: { stored: Set<string>; requests: number }[] = [];
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const started = startCli(
      evaluateArgs(attempt === 0 ? ['--out', run] : ['--resume', run]),
      env(),
    );
    // A random point of the run: after a random number of calls (past what earlier runs did),
    // and a random moment after that.
    const target = requests.length + 20 + Math.floor(random() * 120);
    while (requests.length < target && started.child.exitCode === null) await sleep(5);
    await sleep(random() * 300);
    started.child.kill('SIGKILL');
    const ended = await started.done;
    expect(ended.signal).toBe('SIGKILL');
    const stored = storedResults(run).filter((line) => line.score === 'Asks');
    kills.push({ stored: new Set(stored.map((line) => line.item)), requests: requests.length });
  }
  expect(kills.at(-1)!.stored.size).toBeGreaterThan(0);
  expect(kills.at(-1)!.stored.size).toBeLessThan(items);
  const finished = await runCli(evaluateArgs(['--resume', run]), env());
  expect(finished.code).toBe(0);
  exactlyOnce(run);
  expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).status).toBe('completed');
  // After each kill, no request for an item whose result was already stored.
  for (const kill of kills) {
    const later = requests.slice(kill.requests).map((text) => `m${text.slice(4)}`);
    expect(later.filter((item) => kill.stored.has(item))).toEqual([]);
  }
  // Only the calls in flight at a kill (8 at most: max_concurrency) are asked again: a paid
  // answer's line is written synchronously before the next await, so none answered is lost.
  expect(requests.length - items).toBeLessThanOrEqual(8 * kills.length);
});

it('Ctrl-C finishes the calls in flight, marks the run interrupted, and --resume completes it with no call repeated', async () => {
  requests = [];
  const run = join(dir, 'interrupted');
  const started = startCli(evaluateArgs(['--out', run]), env());
  while (requests.length < 40) await sleep(20);
  started.child.kill('SIGINT');
  const ended = await started.done;
  expect(ended.code).toBe(1);
  expect(ended.stderr).toContain('Interrupted: finishing calls in flight');
  expect(ended.stderr).toContain(`Run interrupted; continue it with: plexus evaluate`);
  expect(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).status).toBe('interrupted');
  const stored = storedResults(run).filter((line) => line.score === 'Asks').length;
  // Every call started before Ctrl-C ended as a stored result.
  expect(stored).toBe(requests.length);
  const resumed = await runCli(evaluateArgs(['--resume', run]), env());
  expect(resumed.code).toBe(0);
  exactlyOnce(run);
  expect(requests).toHaveLength(items);
  expect(new Set(requests).size).toBe(items);
});
