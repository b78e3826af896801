// `--max-cost-increase` when the answers come from the result cache of an earlier optimize run
// (another --out, another --seed): a cached answer costs $0 now, its cost per item was unknown and
// the limit let a 4x dearer prompt through.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { basePrompt, closeServers, edit, prizePrompt, project } from './optimize-project.js';

afterEach(closeServers);

const longPrompt = `Spam includes prize offers. ${'Read the message carefully. '.repeat(60)}${basePrompt}`;

/** Dollars per item of a holdout evaluation folder's results, paid in that folder (by hand). */
function paidPerItem(dir: string): number {
  const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((text) => text.trim() !== '')
    .map((text) => JSON.parse(text) as { cost_usd: number; cached: boolean });
  expect(lines.every((line) => !line.cached)).toBe(true);
  return lines.reduce((sum, line) => sum + line.cost_usd, 0) / lines.length;
}

it('keeps the cost limit when the versions come from the result cache of an earlier run', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(longPrompt, 'name prize offers, at length')] },
  ]);
  type Log = {
    rounds: {
      outcome: string;
      why: string;
      cost_per_item: { current: number | null; candidate: number | null };
    }[];
  };
  const logOf = (out: string) =>
    JSON.parse(readFileSync(join(dir, out, 'changelog.json'), 'utf8')) as Log;
  const first = await runCli([...args('first'), '--rounds', '1'], env);
  expect(first.code, first.stderr).toBe(0);
  const paid = logOf('first').rounds[0]!;
  expect(paid.outcome).toBe('no significant improvement');
  expect(paid.why).toContain('over the allowed 20%');
  const current = paidPerItem(join(dir, 'first', 'round-1', 'current-holdout'));
  const candidate = paidPerItem(join(dir, 'first', 'round-1', 'candidate-1-holdout'));
  expect(candidate).toBeGreaterThan(current * 3);
  expect(paid.cost_per_item.current).toBeCloseTo(current, 12);
  expect(paid.cost_per_item.candidate).toBeCloseTo(candidate, 12);
  // The same run in another folder, then on another split: every answer from the cache.
  for (const again of [
    ['--out', 'same'],
    ['--out', 'seed', '--seed', '5'],
  ]) {
    const out = again[1]!;
    const rest = again.slice(2);
    const result = await runCli([...args(out), '--rounds', '1', ...rest], env);
    expect(result.code, result.stderr).toBe(0);
    // Before: accepted, cost per item "– → –".
    const round = logOf(out).rounds[0]!;
    expect(round.outcome, round.why).toBe('no significant improvement');
    expect(round.why).toContain('over the allowed 20%');
    if (out === 'same') {
      expect(round.cost_per_item.current).toBeCloseTo(current, 12);
      expect(round.cost_per_item.candidate).toBeCloseTo(candidate, 12);
    }
  }
}, 180_000);

it('says the cost limit was not checked when the answers come from a plain evaluate', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
  ]);
  const evaluated = await runCli(
    [
      'evaluate',
      join(dir, 'spam.yaml'),
      '--data',
      join(dir, 'items.jsonl'),
      '--out',
      join(dir, 'run'),
      '--quiet',
    ],
    env,
  );
  expect(evaluated.code, evaluated.stderr).toBe(0);
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as {
    rounds: { outcome: string; why: string; cost_per_item: { current: number | null } }[];
  };
  expect(log.rounds[0]!.outcome).toBe('accepted');
  expect(log.rounds[0]!.cost_per_item.current).toBeNull();
  // 19 current (from the evaluate's cache) of 38 holdout answers.
  expect(log.rounds[0]!.why).toContain(
    '--max-cost-increase not checked: the cost of 19 of the 38 holdout answers is not known',
  );
}, 120_000);

it("prices a graph candidate's unchanged nodes, answered from the response cache, as a fresh evaluate does", async () => {
  const { args, env, dir } = await project(
    [{ candidates: [{ node: 'decide', prompt: prizePrompt, reason: 'name prize offers' }] }],
    0,
    true,
  );
  // A first node, unchanged by the edit and dear (a long prompt), before "decide".
  const card = join(dir, 'spam.yaml');
  const gate = `      - name: gate\n        type: classifier\n        labels: [spam, ham]\n        prompt: ${JSON.stringify(`${'Is this a message at all? '.repeat(40)}{{ text }}`)}\n`;
  writeFileSync(card, readFileSync(card, 'utf8').replace('    nodes:\n', `    nodes:\n${gate}`));
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as {
    rounds: {
      outcome: string;
      version: string;
      cost_per_item: { current: number; candidate: number };
    }[];
  };
  const round = log.rounds[0]!;
  expect(round.outcome).toBe('accepted');
  // By hand: each version evaluated on the holdout with a cache of its own, every call paid.
  const fresh = async (card: string, name: string) => {
    const out = join(dir, name);
    const evaluated = await runCli(
      ['evaluate', card, '--data', join(dir, 'out', 'holdout.jsonl'), '--out', out, '--quiet'],
      { ...env, PLEXUS_CACHE_DIR: join(dir, `cache-${name}`) },
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    return paidPerItem(out);
  };
  expect(round.cost_per_item.current).toBeCloseTo(await fresh(card, 'current'), 12);
  // Before: 0.000144, the edited node's calls alone, where every call costs 0.000535 per item.
  expect(round.cost_per_item.candidate).toBeCloseTo(
    await fresh(join(dir, 'out', round.version), 'candidate'),
    12,
  );
}, 180_000);
