// The Batch API against the LLM test server, through the CLI: kill -9 while a batch is polled,
// then --resume re-attaches to the batch recorded in the run folder; nothing is uploaded or
// submitted twice, every request runs once, every item gets its answer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, sleep, startCli, storedResults, workDir } from './harness.js';

const dir = workDir('batch-resume');
const items = 60;
let server: TestServer;

beforeAll(async () => {
  // Each batch spends 500 ms validating, 500 in progress and 500 finalizing.
  server = await startTestServer({ batch: { delayMs: 500 } });
  writeFileSync(
    join(dir, 'items.csv'),
    `id,text\n${Array.from({ length: items }, (_, index) => `m${index},message ${index}`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'card.yaml'),
    `name: Batched\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: gpt-4o-mini, base_url: "${server.url}", api_key_env: TEST_KEY, batch_poll_ms: 50, prompt: "Is it spam? {{ text }}" }\n`,
  );
});
afterAll(() => server?.close());

const env = { TEST_KEY: 'test-key' };
const args = (extra: string[]) => [
  'evaluate',
  join(dir, 'card.yaml'),
  '--data',
  join(dir, 'items.csv'),
  '--no-cache',
  ...extra,
];

function recorded(run: string): string[] {
  return readFileSync(join(run, 'batches.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { event: string }).event);
}

it('kill -9 while a batch is polled, then --resume: the same batch is read, nothing is submitted twice', async () => {
  const run = join(dir, 'killed');
  const started = startCli(args(['--batch', '--out', run]), env);
  // Killed once the batch was created and polled (it is still running on the server).
  while (server.batches.polls < 2 && started.child.exitCode === null) await sleep(10);
  started.child.kill('SIGKILL');
  expect((await started.done).signal).toBe('SIGKILL');
  expect(server.batches.batches).toHaveLength(1);
  expect(recorded(run)).toEqual(['uploaded', 'submitted']);
  expect(storedResults(run)).toHaveLength(0);

  // No --batch: a run folder with batches resumes as a batch run.
  const resumed = await runCli(args(['--resume', run]), env);
  expect(resumed.stderr).toContain('plexus: batch batch_1');
  expect(resumed.code).toBe(0);
  expect(server.batches.uploads).toBe(1);
  expect(server.batches.batches).toHaveLength(1);
  expect([...server.batches.runsByCustomId.values()]).toEqual(Array(items).fill(1));
  // No synchronous chat call either.
  expect(server.stats.requests).toBe(0);
  const stored = storedResults(run);
  expect(stored).toHaveLength(items);
  expect(new Set(stored.map((line) => line.item)).size).toBe(items);
  expect(stored.every((line) => line.status === 'ok')).toBe(true);
  expect(recorded(run)).toEqual(['uploaded', 'submitted', 'ended']);
});
