// `plexus optimize` over real HTTP: the test server's optimize scenario (the scored model is right
// only where the prompt describes the item's class; the optimizer proposes given edits).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli, sleep, startCli } from './harness.js';
import {
  closeServers,
  edit,
  type Kind,
  kinds,
  prizePrompt,
  project,
  rarePrompt,
  readLog,
} from './optimize-project.js';

afterEach(closeServers);

function holdoutKinds(dir: string): Record<Kind, number> {
  const split = JSON.parse(readFileSync(join(dir, 'split.json'), 'utf8')) as {
    ids: { holdout: string[] };
  };
  const counts: Record<Kind, number> = { ham: 0, prize: 0, rare: 0 };
  for (const id of split.ids.holdout) counts[kinds[Number(id.slice(1))]!] += 1;
  return counts;
}

it('accepts a real improvement, drops an invalid candidate, rejects one that does not help the holdout', async () => {
  const { dir, args, env } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam'), edit('', 'an empty prompt')] },
    { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
  ]);
  const result = await runCli(args('out'), env);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('accepted: spam.v2.yaml');
  const out = join(dir, 'out');
  const log = readLog(out);
  const [first, second] = log.rounds;
  // (a) accepted: holdout accuracy and McNemar's p by hand from the split.
  const holdout = holdoutKinds(out);
  const n = holdout.ham + holdout.prize + holdout.rare;
  // Stratified: 40 ham and 55 spam, each cut 0.6/0.2/0.2 and rounded.
  expect(holdout.ham).toBe(40 - 24 - 8);
  expect(holdout.prize + holdout.rare).toBe(55 - 33 - 11);
  expect(first!.outcome).toBe('accepted');
  expect(first!.metrics.holdout.items).toBe(n);
  expect(first!.metrics.holdout.current).toBeCloseTo(holdout.ham / n, 10);
  expect(first!.metrics.holdout.candidate).toBeCloseTo((holdout.ham + holdout.prize) / n, 10);
  expect(first!.p_value).toBeCloseTo(Math.min(1, 2 * 0.5 ** holdout.prize), 10);
  expect(readFileSync(join(out, 'spam.v2.yaml'), 'utf8')).toContain('prize offers');
  expect(readFileSync(join(dir, 'spam.yaml'), 'utf8')).not.toContain('prize offers');
  // (c) the empty prompt is dropped with the validator's reason.
  expect(first!.dropped).toEqual([
    expect.objectContaining({ node: 'Spam', reason: expect.stringContaining('does not validate') }),
  ]);
  // (b) the rare-codes edit helps train but at most 5 holdout items: never significant.
  expect(second!.outcome).toBe('no significant improvement');
  expect(second!.version).toBeNull();
  expect(second!.p_value).toBeCloseTo(Math.min(1, 2 * 0.5 ** holdout.rare), 10);
  expect(log.rounds).toHaveLength(2);
  expect(log.spent_usd).toBeGreaterThan(0);
  const markdown = readFileSync(join(out, 'changelog.md'), 'utf8');
  expect(markdown).toContain('| 1 | accepted |');
  // Both rounds were decided on the same holdout: the run's bound is 2 × 0.05, and it says so.
  expect(markdown).toContain('The same holdout decided 2 rounds, each at p < 0.05');
  expect(result.stderr).toContain('up to 2 × 0.05 = 0.1 over the run');
  expect(markdown).not.toContain('sk-test-optimize');
}, 120_000);

it('killed with -9, --resume continues the same round without repeating paid calls', async () => {
  const { server, scenario, args, env, dir } = await project(
    [{ candidates: [edit(prizePrompt, 'name prize offers as spam')] }, { candidates: [] }],
    20,
  );
  const run = startCli(args('out'), env);
  while (server.stats.requests < 25) await sleep(20);
  run.child.kill('SIGKILL');
  await run.done;
  // Killed inside round 1: no round was recorded yet (the changelog holds the run's settings).
  expect(readLog(join(dir, 'out')).rounds).toEqual([]);
  const before = server.stats.requests;
  const resumed = await runCli([...args('out'), '--resume'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  const log = readLog(join(dir, 'out'));
  expect(log.rounds.map((entry) => entry.outcome)).toEqual(['accepted', 'no valid candidate']);
  // Every request body answered once, but for at most the 4 in flight at the kill.
  const repeated = [...server.stats.byBody.values()].reduce((sum, count) => sum + count - 1, 0);
  expect(repeated).toBeLessThanOrEqual(4);
  expect(scenario.optimizerRequests()).toBe(2);
  expect(before).toBeGreaterThanOrEqual(25);
}, 120_000);

it('stops at --max-usd before the next paid step and says so in the changelog', async () => {
  const { args, env, dir } = await project([
    { candidates: [{ node: 'Spam', label_descriptions: { spam: 'prize offers' }, reason: 'x' }] },
  ]);
  const result = await runCli([...args('out'), '--max-usd', '0.003'], env);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('--max-usd');
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as {
    stopped: string;
    spent_usd: number;
  };
  expect(log.stopped).toMatch(/^round 1: --max-usd/);
  expect(log.spent_usd).toBeGreaterThan(0);
  expect(log.spent_usd).toBeLessThanOrEqual(0.003);
}, 120_000);

it('label descriptions become part of the prompt and can be accepted', async () => {
  const { args, env, dir } = await project([
    {
      candidates: [
        { node: 'Spam', label_descriptions: { spam: 'prize offers' }, reason: 'say what spam is' },
      ],
    },
    { candidates: [] },
  ]);
  const result = await runCli(args('out'), env);
  expect(result.code, result.stderr).toBe(0);
  const version = readFileSync(join(dir, 'out', 'spam.v2.yaml'), 'utf8');
  expect(version).toContain('What each label means');
  expect(version).toContain('spam: prize offers');
}, 120_000);

it("edits a node of an llm/graph score by name, reading the scorecard's data columns", async () => {
  const { args, env, dir } = await project(
    [
      {
        candidates: [
          { node: 'decide', prompt: prizePrompt, reason: 'name prize offers as spam' },
          { node: 'missing', prompt: prizePrompt, reason: 'no such node' },
        ],
      },
      { candidates: [] },
    ],
    0,
    true,
    true,
  );
  const result = await runCli(args('out'), env);
  expect(result.code, result.stderr).toBe(0);
  const log = readLog(join(dir, 'out'));
  expect(log.rounds[0]!.outcome).toBe('accepted');
  expect(log.rounds[0]!.dropped).toEqual([
    { node: 'missing', reason: 'no node "missing" in score "Spam"' },
  ]);
  expect(readFileSync(join(dir, 'out', 'spam.v2.yaml'), 'utf8')).toContain('prize offers');
  const firstHoldout = readFileSync(join(dir, 'out', 'holdout.jsonl'), 'utf8').split('\n')[0]!;
  expect(Object.keys(JSON.parse(firstHoldout) as object).sort()).toEqual(['body', 'key', 'label']);
}, 120_000);
