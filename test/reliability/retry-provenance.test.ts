// Issue 21, items 6 and 7: `--resume --retry-errors` scores again the items that ended in error
// (and what was skipped because of them) and keeps every ok one; run.json records the dataset's
// SHA-256, rows and gold digests; compare refuses runs whose gold differs on compared items;
// a resume refuses a dataset that changed.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('retry-provenance');
const items = 60;
/** Items the model answers badly while `failing` (every fifth). */
const failsOn = (index: number) => index % 5 === 0;
let failing = true;
let requests: string[] = [];
let server: TestServer;
const env = { TEST_KEY: 'test-key' };

beforeAll(async () => {
  server = await startTestServer({
    answer: ({ text }) => {
      const item = /msg-(\d+)/.exec(text)?.[1];
      if (item === undefined) return undefined;
      requests.push(item);
      return failing && failsOn(Number(item)) ? 'I would rather not say.' : undefined;
    },
    decide: ({ text }) => (/msg-\d*[02468] /.test(text) ? 'yes' : 'no'),
  });
  const rows = Array.from(
    { length: items },
    (_, index) => `m${index},msg-${index} please call me,${index % 3 === 0 ? 'yes' : 'no'}`,
  );
  writeFileSync(join(dir, 'items.csv'), `id,text,asks\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'card.yaml'),
    `name: Retry\nscores:\n  - { name: Asks, class: llm/classifier, labels: [yes, no], label_column: asks, model: m, base_url: "${server.url}", api_key_env: TEST_KEY, prompt: "Does it ask for a call? {{ text }}" }\n  - { name: Follow Up, class: heuristic/keywords, labels: [yes, no], phrases: [call], depends_on: { Asks: { operator: "==", value: "yes" } } }\n`,
  );
  writeFileSync(
    join(dir, 'rules.yaml'),
    'name: Rules\nscores:\n  - { name: Asks, class: heuristic/keywords, labels: [yes, no], label_column: asks, phrases: [call] }\n',
  );
});
afterAll(() => server?.close());

interface Line {
  item_id: string;
  score: string;
  status: string;
  value: string | null;
  label: string | null;
  error: { code?: string } | null;
}

const results = (run: string): Line[] =>
  readFileSync(join(run, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.parse(text) as Line);
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function evaluate(card: string, extra: string[], data = join(dir, 'items.csv')) {
  return runCli(['evaluate', join(dir, card), '--data', data, '--no-cache', ...extra], env);
}

it('--resume never retried items that ended in error: --retry-errors scores them (and what they skipped) again, keeps every ok one', async () => {
  const run = join(dir, 'retry');
  await evaluate('card.yaml', ['--out', run, '--quiet']);
  const before = results(run);
  const failed = before.filter((line) => line.status === 'error').map((line) => line.item_id);
  expect(failed.sort()).toEqual(
    Array.from({ length: items }, (_, index) => index)
      .filter(failsOn)
      .map((index) => `m${index}`)
      .sort(),
  );
  // Downstream of an error: skipped.
  const skippedAfter = before.filter(
    (line) => line.score === 'Follow Up' && failed.includes(line.item_id),
  );
  expect(skippedAfter.every((line) => line.status === 'skipped')).toBe(true);

  // A plain resume keeps errors as they are: nothing asked again.
  failing = false;
  requests = [];
  await evaluate('card.yaml', ['--resume', run, '--quiet']);
  expect(requests).toEqual([]);
  expect(results(run).filter((line) => line.status === 'error')).toHaveLength(failed.length);

  const okBefore = before.filter((line) => line.status === 'ok' && line.score === 'Asks');
  const retried = await evaluate('card.yaml', ['--resume', run, '--retry-errors', '--json']);
  expect(retried.code).toBe(0);
  // Exactly the failed items were asked again, once each.
  expect(requests.map((item) => `m${item}`).sort()).toEqual([...failed].sort());
  const after = results(run);
  expect(after).toHaveLength(items * 2);
  expect(new Set(after.map((line) => `${line.item_id}|${line.score}`)).size).toBe(items * 2);
  expect(after.filter((line) => line.status === 'error')).toEqual([]);
  // Every ok line kept as it was.
  for (const line of okBefore)
    expect(after).toContainEqual(expect.objectContaining({ ...line }) as Line);
  // Follow Up of the retried items ran with their new answer (yes for even items).
  for (const item of failed) {
    const follow = after.find((line) => line.item_id === item && line.score === 'Follow Up')!;
    const even = Number(item.slice(1)) % 2 === 0;
    expect(follow.status).toBe(even ? 'ok' : 'skipped');
  }
  // Metrics, run.json and the summary rebuilt from the file: a recount agrees.
  const summary = JSON.parse(retried.stdout);
  const asks = after.filter((line) => line.score === 'Asks');
  const right = asks.filter((line) => line.value === line.label).length;
  const metrics = json(join(run, 'metrics.json'));
  expect(metrics.scores.Asks.accuracy).toBeCloseTo(right / items, 12);
  expect(json(join(run, 'run.json')).counts).toMatchObject({ results: items * 2, errors: 0 });
  expect(summary.errors).toBe(0);
  expect(readFileSync(join(run, 'report.html'), 'utf8')).not.toContain('I would rather not say');
});

it('--retry-errors scores budget_exhausted items again once the budget is raised', async () => {
  failing = false;
  const priced = join(dir, 'priced.yaml');
  writeFileSync(
    priced,
    `name: Priced\nscores:\n  - { name: Asks, class: llm/classifier, labels: [yes, no], label_column: asks, model: gpt-5-mini, max_tokens: 16, base_url: "${server.url}", api_key_env: TEST_KEY, prompt: "Does it ask for a call? {{ text }}" }\n`,
  );
  const run = join(dir, 'budget');
  const common = ['--data', join(dir, 'items.csv'), '--no-cache', '--max-error-rate', '1'];
  await runCli(['evaluate', priced, ...common, '--max-usd', '0.0001', '--out', run], env);
  const refused = results(run).filter((line) => line.error?.code === 'budget_exhausted');
  expect(refused.length).toBeGreaterThan(0);
  requests = [];
  const retried = await runCli(
    ['evaluate', priced, ...common, '--max-usd', '1', '--resume', run, '--retry-errors'],
    env,
  );
  expect(retried.code, retried.stderr).toBe(0);
  expect(requests.map((item) => `m${item}`).sort()).toEqual(
    refused.map((line) => line.item_id).sort(),
  );
  const after = results(run);
  expect(after).toHaveLength(items);
  expect(after.every((line) => line.status === 'ok')).toBe(true);
});

/** The gold-v1 digest of (item, gold) pairs, from its documented definition (BigInt arithmetic). */
function goldDigest(pairs: readonly [string, string][]): string {
  const multipliers = [0x01000193n, 0x5bd1e995n, 0xcc9e2d51n, 0x1b873593n];
  const seeds = [0x811c9dc5n, 0x9e3779b9n, 0x85ebca6bn, 0xc2b2ae35n];
  const mask = 0xffffffffn;
  const sums = [0n, 0n, 0n, 0n];
  for (const [item, gold] of pairs) {
    const text = `${item}\t${gold.trim().toLowerCase()}`;
    for (let lane = 0; lane < 4; lane += 1) {
      let h = seeds[lane]!;
      for (const unit of Array.from({ length: text.length }, (_, at) => text.charCodeAt(at)))
        h = ((h ^ BigInt(unit)) * multipliers[lane]!) & mask;
      h ^= BigInt(text.length);
      h ^= h >> 16n;
      h = (h * 0x85ebca6bn) & mask;
      h ^= h >> 13n;
      h = (h * 0xc2b2ae35n) & mask;
      h ^= h >> 16n;
      sums[lane] = (sums[lane]! + h) & mask;
    }
  }
  return `gold-v1:${sums.map((sum) => sum.toString(16).padStart(8, '0')).join('')}`;
}

it('run.json records the dataset SHA-256, its rows and the gold digest; --limit says why rows are unknown', async () => {
  const data = join(dir, 'provenance.csv');
  const rows = Array.from(
    { length: 40 },
    (_, index) => `p${index},call ${index},${index % 4 ? 'no' : 'Yes'}`,
  );
  // One malformed row: a data row all the same.
  writeFileSync(data, `id,text,asks\n${rows.join('\n')}\nbroken,row,with,too,many\n`);
  const run = join(dir, 'provenance');
  expect((await evaluate('rules.yaml', ['--out', run, '--quiet'], data)).code).toBe(0);
  const recorded = json(join(run, 'run.json')).data;
  const bytes = readFileSync(data);
  expect(recorded).toMatchObject({
    path: data,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    rows: 41,
  });
  const pairs = rows
    .map((row) => row.split(','))
    .map(([id, , gold]) => [id!, gold!] as [string, string]);
  expect(recorded.gold.Asks).toEqual({ digest: goldDigest(pairs), labelled: 40 });

  const limited = join(dir, 'provenance-limited');
  await evaluate('rules.yaml', ['--out', limited, '--limit', '10', '--quiet'], data);
  const partial = json(join(limited, 'run.json')).data;
  expect(partial.sha256).toBe(recorded.sha256);
  expect(partial.rows).toBeNull();
  expect(partial.rows_unknown).toContain('--limit 10');
  expect(partial.gold.Asks).toEqual({ digest: goldDigest(pairs.slice(0, 10)), labelled: 10 });
});

it('compare refuses runs whose gold differs on compared items (exit 2) unless --allow-different-gold', async () => {
  const original = join(dir, 'items.csv');
  const changed = join(dir, 'items-regold.csv');
  const text = readFileSync(original, 'utf8');
  // Two items' gold flipped.
  writeFileSync(
    changed,
    text
      .replace('m3,msg-3 please call me,yes', 'm3,msg-3 please call me,no')
      .replace('m4,msg-4 please call me,no', 'm4,msg-4 please call me,yes'),
  );
  const a = join(dir, 'gold-a');
  const b = join(dir, 'gold-b');
  const same = join(dir, 'gold-same');
  const subset = join(dir, 'gold-subset');
  await evaluate('rules.yaml', ['--out', a, '--quiet'], original);
  await evaluate('rules.yaml', ['--out', b, '--quiet'], changed);
  await evaluate('rules.yaml', ['--out', same, '--quiet'], original);
  await evaluate('rules.yaml', ['--out', subset, '--quiet', '--limit', '3'], changed);

  const refused = await runCli(['compare', a, b]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('gold labels differ on 2 compared items');
  expect(refused.stderr).toContain('m3: "yes" in A, "no" in B');
  expect(refused.stderr).toContain('--allow-different-gold');
  const allowed = await runCli(['compare', a, b, '--allow-different-gold', '--json']);
  expect(allowed.code).toBe(0);
  expect(JSON.parse(allowed.stdout).gold_differences).toMatchObject([
    { score_a: 'Asks', score_b: 'Asks', items: 2 },
  ]);
  // Same data: equal digests. A run over other data that agrees on the items compared: fine too.
  expect(json(join(same, 'run.json')).data.gold).toEqual(json(join(a, 'run.json')).data.gold);
  expect((await runCli(['compare', a, same])).code).toBe(0);
  expect((await runCli(['compare', a, subset])).code).toBe(0);
});

it('a resume refuses a dataset that changed since the run started', async () => {
  const data = join(dir, 'moving.csv');
  writeFileSync(data, 'id,text,asks\nx1,call me,yes\nx2,bye,no\n');
  const run = join(dir, 'moving');
  await evaluate('rules.yaml', ['--out', run, '--quiet'], data);
  writeFileSync(data, 'id,text,asks\nx1,call me,no\nx2,bye,no\n');
  const resumed = await evaluate('rules.yaml', ['--resume', run, '--quiet'], data);
  expect(resumed.code).toBe(2);
  expect(resumed.stderr).toContain('changed since the run started');
  expect(json(join(run, 'run.json')).status).toBe('completed');
});
