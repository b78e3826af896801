// One writer per run folder, and no run left `running` (issue 22, items 10 and 11): two --resume
// of one folder at once, a second run into the same --out, a stale lock after kill -9, SIGTERM,
// SIGHUP, a second signal, an uncaught error, and a folder left `running` by a dead process as
// report, compare and resume read it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCli, sleep, startCli, storedResults, workDir } from './harness.js';

const dir = workDir('run-folder');
const items = 120;
let requests: string[] = [];
let server: TestServer;
const env = { TEST_KEY: 'test-key' };
// The server reads its latency per request: 60 ms keeps a run going (120 items, 2 at a time: 3.6 s)
// while a test acts on it; once the run only has to finish, `finishFast` answers at once.
const serverOptions = {
  latencyMs: 60,
  answer: ({ text }: { text: string }) => {
    requests.push(/msg-\d+/.exec(text)?.[0] ?? '?');
    return undefined;
  },
};
const finishFast = () => {
  serverOptions.latencyMs = 0;
};

beforeEach(() => {
  serverOptions.latencyMs = 60;
});

beforeAll(async () => {
  server = await startTestServer(serverOptions);
  writeFileSync(
    join(dir, 'items.csv'),
    `id,text\n${Array.from({ length: items }, (_, index) => `m${index},msg-${index} please call me back`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'card.yaml'),
    `name: Locks\nscores:\n  - { name: Asks, class: llm/classifier, labels: [yes, no], model: m, base_url: "${server.url}", api_key_env: TEST_KEY, max_concurrency: 2, prompt: "Does it ask for a call? {{ text }}" }\n`,
  );
  // An uncaught error thrown from a timer once the run is under way (its lock taken).
  writeFileSync(
    join(dir, 'throw-later.mjs'),
    `import { existsSync } from 'node:fs';
const watch = setInterval(() => {
  if (!existsSync(process.env.THROW_WHEN_EXISTS)) return;
  clearInterval(watch);
  setTimeout(() => { throw new Error('injected failure'); }, 300);
}, 10);
watch.unref();
`,
  );
  // Heap exhaustion once the run is under way: V8 aborts the process, no JavaScript runs.
  writeFileSync(
    join(dir, 'exhaust-heap.mjs'),
    `import { existsSync } from 'node:fs';
const kept = [];
const watch = setInterval(() => {
  if (!existsSync(process.env.EXHAUST_WHEN_EXISTS)) return;
  clearInterval(watch);
  for (;;) kept.push(new Array(1e6).fill(kept.length));
}, 10);
watch.unref();
`,
  );
});
afterAll(() => server?.close());

function evaluateArgs(extra: string[]) {
  return [
    'evaluate',
    join(dir, 'card.yaml'),
    '--data',
    join(dir, 'items.csv'),
    '--no-cache',
    ...extra,
  ];
}

const runJson = (run: string) => JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));

/** The pid in a run folder's lock file, if any. */
function lockPid(run: string): number | undefined {
  try {
    return JSON.parse(readFileSync(join(run, 'run.lock'), 'utf8')).pid;
  } catch {
    return undefined;
  }
}

/** Starts a run (`--out` or `--resume` RUN) and waits until it holds the lock and asked `calls` calls. */
async function startedRun(extra: string[], calls = 6) {
  const run = extra[1]!;
  const started = startCli(evaluateArgs(extra), env);
  while (lockPid(run) !== started.child.pid && started.child.exitCode === null) await sleep(5);
  const target = requests.length + calls;
  while (requests.length < target && started.child.exitCode === null) await sleep(5);
  if (started.child.exitCode !== null)
    throw new Error(`the run ended early: ${(await started.done).stderr}`);
  return started;
}

/** A run folder killed with SIGKILL part way: run.json `running`, its lock left behind. */
async function killedRun(name: string): Promise<string> {
  const run = join(dir, name);
  const started = await startedRun(['--out', run], 10);
  started.child.kill('SIGKILL');
  await started.done;
  expect(runJson(run).status).toBe('running');
  expect(existsSync(join(run, 'run.lock'))).toBe(true);
  return run;
}

function exactlyOnce(run: string) {
  const stored = storedResults(run);
  expect(stored).toHaveLength(items);
  expect(new Set(stored.map((line) => line.item)).size).toBe(items);
}

it('two --resume of one run folder at once: the second exits 2 naming the holder; the work is done once', async () => {
  const run = await killedRun('twice');
  // The calls the killed run had in flight reach the server's answer hook after its latency.
  await sleep(200);
  requests = [];
  const first = await startedRun(['--resume', run], 4);
  const second = await runCli(evaluateArgs(['--resume', run]), env);
  expect(second.code).toBe(2);
  expect(second.stderr).toContain(`in use by process ${first.child.pid}`);
  expect(second.stderr).not.toMatch(/\n\s+at /);
  finishFast();
  const ended = await first.done;
  expect(ended.code).toBe(0);
  exactlyOnce(run);
  expect(new Set(requests).size).toBe(requests.length);
  expect(existsSync(join(run, 'run.lock'))).toBe(false);
});

it('two --resume started at the same moment over a stale lock: one takes it over and runs, the other exits 2', async () => {
  const run = await killedRun('race');
  await sleep(200);
  requests = [];
  const [one, two] = await Promise.all([
    runCli(evaluateArgs(['--resume', run]), env),
    runCli(evaluateArgs(['--resume', run]), env),
  ]);
  expect([one.code, two.code].sort(), `${one.stderr}\n---\n${two.stderr}`).toEqual([0, 2]);
  expect([one, two].find((ended) => ended.code === 2)!.stderr).toContain('in use by process');
  exactlyOnce(run);
  expect(new Set(requests).size).toBe(requests.length);
});

it('a second run into an --out being written exits 2; the first is unharmed', async () => {
  const run = join(dir, 'same-out');
  const first = await startedRun(['--out', run], 4);
  const second = await runCli(evaluateArgs(['--out', run]), env);
  expect(second.code).toBe(2);
  expect(second.stderr).toContain(`in use by process ${first.child.pid}`);
  finishFast();
  expect((await first.done).code).toBe(0);
  exactlyOnce(run);
});

it('a folder left running by a dead process reads as interrupted (report, compare) and resumes, taking over the stale lock', async () => {
  const run = await killedRun('dead');
  finishFast();
  const report = await runCli(['report', run]);
  expect(report.code).toBe(2);
  expect(report.stderr).toContain('the run is interrupted (the process running it ended');
  const complete = join(dir, 'complete');
  expect((await runCli(evaluateArgs(['--out', complete]), env)).code).toBe(0);
  const compared = await runCli(['compare', complete, run, '--json']);
  expect(compared.code).toBe(0);
  expect(JSON.parse(compared.stdout)).toMatchObject({
    status_a: 'completed',
    status_b: 'interrupted',
  });
  const resumed = await runCli(evaluateArgs(['--resume', run]), env);
  expect(resumed.code).toBe(0);
  expect(runJson(run)).toMatchObject({ status: 'completed', error: null });
  exactlyOnce(run);
});

for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  it(`${signal} finishes the calls in flight and marks the run interrupted with the reason`, async () => {
    const run = join(dir, `signal-${signal}`);
    const started = await startedRun(['--out', run]);
    started.child.kill(signal);
    const ended = await started.done;
    expect(ended.code).toBe(1);
    expect(runJson(run)).toMatchObject({
      status: 'interrupted',
      error: `interrupted: ${signal} received`,
    });
    expect(existsSync(join(run, 'run.lock'))).toBe(false);
  });
}

it('a second signal stops at once: run.json interrupted, the lock released, exit 143', async () => {
  const run = join(dir, 'twice-signalled');
  const started = await startedRun(['--out', run]);
  started.child.kill('SIGTERM');
  await sleep(5);
  started.child.kill('SIGTERM');
  const ended = await started.done;
  // The calls in flight may all have finished before the second signal: then the run ended normally.
  expect([1, 143]).toContain(ended.code);
  expect(runJson(run).status).toBe('interrupted');
  expect(existsSync(join(run, 'run.lock'))).toBe(false);
});

it('an uncaught error marks the run failed with its message and releases the lock', async () => {
  const run = join(dir, 'uncaught');
  const started = startCli(evaluateArgs(['--out', run]), {
    ...env,
    THROW_WHEN_EXISTS: join(run, 'run.lock'),
    NODE_OPTIONS: `--import ${join(dir, 'throw-later.mjs')}`,
  });
  const ended = await started.done;
  expect(ended.stderr).toContain('injected failure');
  expect(ended.code).toBe(1);
  expect(runJson(run)).toMatchObject({
    status: 'failed',
    error: 'uncaught error: injected failure',
  });
  expect(existsSync(join(run, 'run.lock'))).toBe(false);
  // Resumable like any failed run.
  finishFast();
  const resumed = await runCli(evaluateArgs(['--resume', run]), env);
  expect(resumed.code).toBe(0);
  exactlyOnce(run);
});

it('out of heap (V8 aborts, no handler runs): run.json stays running, every reader says interrupted, resume completes it', async () => {
  const run = join(dir, 'oom');
  const ended = await runCli(evaluateArgs(['--out', run]), {
    ...env,
    // Once run.json is written (the lock comes first): the heap runs out in the middle of the run.
    EXHAUST_WHEN_EXISTS: join(run, 'run.json'),
    NODE_OPTIONS: `--max-old-space-size=96 --import ${join(dir, 'exhaust-heap.mjs')}`,
  });
  expect(ended.code === 134 || ended.signal === 'SIGABRT').toBe(true);
  expect(runJson(run).status).toBe('running');
  finishFast();
  const report = await runCli(['report', run]);
  expect(report.code).toBe(2);
  expect(report.stderr).toContain('the run is interrupted (the process running it ended');
  const resumed = await runCli(evaluateArgs(['--resume', run]), env);
  expect(resumed.code).toBe(0);
  exactlyOnce(run);
});
