// An llm/graph candidate whose edited node an item's path never reaches answers that item wholly
// from the response cache (its unchanged nodes, asked by the current version): the line is
// `cached: true`, and its cost was looked up in a memo the candidate never filled. Its cost per
// item was unknown and --max-cost-increase went unchecked for every such graph.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, prizePrompt, project } from './optimize-project.js';

afterEach(closeServers);

/** Dollars per item of a holdout evaluation folder's results, every call paid in it (by hand). */
function paidPerItem(dir: string): number {
  const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((text) => text.trim() !== '')
    .map((text) => JSON.parse(text) as { cost_usd: number; cached: boolean });
  expect(lines.every((line) => !line.cached)).toBe(true);
  return lines.reduce((sum, line) => sum + line.cost_usd, 0) / lines.length;
}

it("prices a graph candidate's items whose path never reaches the edited node", async () => {
  const { args, env, dir } = await project(
    [{ candidates: [{ node: 'decide', prompt: prizePrompt, reason: 'name prize offers' }] }],
    0,
    true,
  );
  // A first node, unchanged by the edit, right on every item (its prompt names what spam needs):
  // ham ends there, spam goes on to "decide".
  const card = join(dir, 'spam.yaml');
  const gate = [
    '      - name: gate',
    '        type: classifier',
    '        labels: [spam, ham]',
    `        prompt: ${JSON.stringify('Prize offers and rare lottery codes are spam. {{ text }}')}`,
    '        routes: { "ham": { end: { value: "ham", explanation: "not spam" } } }',
    '',
  ].join('\n');
  writeFileSync(card, readFileSync(card, 'utf8').replace('    nodes:\n', `    nodes:\n${gate}`));
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as {
    rounds: {
      outcome: string;
      why: string;
      version: string;
      cost_per_item: { current: number | null; candidate: number | null };
    }[];
  };
  const round = log.rounds[0]!;
  expect(round.outcome).toBe('accepted');
  expect(round.why).not.toContain('not checked');
  // By hand: each version evaluated on the holdout with a cache of its own, every call paid.
  const fresh = async (scorecard: string, name: string) => {
    const out = join(dir, name);
    const evaluated = await runCli(
      ['evaluate', scorecard, '--data', join(dir, 'out', 'holdout.jsonl'), '--out', out, '--quiet'],
      { ...env, PLEXUS_CACHE_DIR: join(dir, `cache-${name}`) },
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    return paidPerItem(out);
  };
  expect(round.cost_per_item.current).toBeCloseTo(await fresh(card, 'current'), 12);
  expect(round.cost_per_item.candidate).toBeCloseTo(
    await fresh(join(dir, 'out', round.version), 'candidate'),
    12,
  );
}, 180_000);
