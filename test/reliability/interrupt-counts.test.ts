// A second Ctrl-C ends a run at once: run.json's counts are those of the lines on disk (counted
// here from results.jsonl by hand), not the zeros of a run that never reached its orderly end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import type { RunInfo } from '@plexus/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callBackProject, sleep, startCli, storedResults, workDir } from './harness.js';

const dir = workDir('interrupt-counts');
const items = 200;
let received = 0;
let server: TestServer;
let project: ReturnType<typeof callBackProject>;

beforeAll(async () => {
  // Slow answers: the calls in flight at the first Ctrl-C are still going at the second.
  server = await startTestServer({
    latencyMs: 2000,
    answer: () => {
      received += 1;
      return undefined;
    },
  });
  project = callBackProject(dir, 'Counts', items, server.url);
});
afterAll(() => server?.close());

const evaluateArgs = (extra: string[]) => project.args(extra);
const env = () => project.env;

/** Starts a run, waits for `calls` calls, then Ctrl-C twice: the second ends it at once (130). */
async function interruptTwice(args: string[], calls: number) {
  const started = startCli(evaluateArgs(args), env());
  while (received < calls && started.child.exitCode === null) await sleep(20);
  started.child.kill('SIGINT');
  await sleep(300);
  started.child.kill('SIGINT');
  const ended = await started.done;
  expect(ended.code, ended.stderr).toBe(130);
  expect(ended.stderr).toContain('Ctrl-C again to quit at once');
}

/** The counts of run.json against a hand count of the lines in results.jsonl. */
function expectCountsOfDisk(run: string) {
  const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as RunInfo;
  const stored = storedResults(run);
  expect(info.status).toBe('interrupted');
  expect(info.error).toBe('SIGINT received twice: stopped at once');
  expect(stored.length).toBeGreaterThan(0);
  expect(info.counts).toEqual({
    items: new Set(stored.map((line) => line.item)).size,
    results: stored.length,
    errors: stored.filter((line) => line.status === 'error').length,
    skipped: stored.filter((line) => line.status === 'skipped').length,
    malformed_rows: 0,
    cache_hits: 0,
  });
  return stored;
}

it('after a second Ctrl-C, run.json counts the lines results.jsonl holds', async () => {
  received = 0;
  const run = join(dir, 'twice');
  await interruptTwice(['--out', run], 16);
  const stored = expectCountsOfDisk(run);
  // Some LLM answers were stored and some were not: the run really stopped halfway.
  const asks = stored.filter((line) => line.score === 'Asks').length;
  expect(asks).toBeGreaterThan(0);
  expect(asks).toBeLessThan(items);
});

it('a resumed run stopped twice counts the lines it kept as well as its new ones', async () => {
  received = 0;
  const run = join(dir, 'resumed');
  await interruptTwice(['--out', run], 16);
  const before = storedResults(run).length;
  received = 0;
  await interruptTwice(['--resume', run], 16);
  const stored = expectCountsOfDisk(run);
  expect(stored.length).toBeGreaterThan(before);
});
