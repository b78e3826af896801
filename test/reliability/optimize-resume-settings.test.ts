// `plexus optimize --resume` with other test settings than the run's: they were ignored (the split)
// or used while the changelog named the first ones (--alpha), in silence.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli, sleep, startCli } from './harness.js';
import {
  closeServers,
  edit,
  prizePrompt,
  project,
  rarePrompt,
  readLog,
} from './optimize-project.js';

afterEach(closeServers);

function withFlag(args: string[], flag: string, value: string): string[] {
  const at = args.indexOf(flag);
  return at < 0
    ? [...args, flag, value]
    : args.map((arg, index) => (index === at + 1 ? value : arg));
}

it('refuses a resume with another --alpha, --seed, --split or --data, and goes on with the same', async () => {
  const { args, env, dir, scenario } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
    { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
  ]);
  const first = await runCli([...args('out'), '--rounds', '1'], env);
  expect(first.code, first.stderr).toBe(0);
  const out = join(dir, 'out');
  const again = [...args('out'), '--rounds', '2', '--resume'];
  // Round 2's edit gives p = 2 * 0.5^3 = 0.25 on the 3 rare holdout items: --alpha 0.5 accepted it
  // while changelog.md said "Accepted only when ... p < 0.05".
  const alpha = await runCli(withFlag(again, '--alpha', '0.5'), env);
  expect(alpha.code).toBe(2);
  expect(alpha.stderr).toContain('--alpha 0.05');
  const seed = await runCli(withFlag(again, '--seed', '7'), env);
  expect(seed.code).toBe(2);
  expect(seed.stderr).toContain('--seed 0, not 7');
  const split = await runCli(withFlag(again, '--split', '0.5,0.25,0.25'), env);
  expect(split.code).toBe(2);
  expect(split.stderr).toContain('--split');
  const items = readFileSync(join(dir, 'items.jsonl'), 'utf8');
  const more = join(dir, 'more.jsonl');
  writeFileSync(more, `${items}{"id":"new","text":"[[gold:ham]] hello","label":"ham"}\n`);
  const data = await runCli(withFlag(again, '--data', more), env);
  expect(data.code).toBe(2);
  expect(data.stderr).toContain('is not the file the run split');
  expect(readLog(out).rounds).toHaveLength(1);
  expect(scenario.optimizerRequests()).toBe(1);
  const resumed = await runCli(again, env);
  expect(resumed.code, resumed.stderr).toBe(0);
  const log = readLog(out);
  expect(log.rounds.map((entry) => entry.outcome)).toEqual([
    'accepted',
    'no significant improvement',
  ]);
  expect(log.rounds[1]!.p_value).toBeCloseTo(0.25, 10);
}, 180_000);

it('says how many rounds the run has when a resume asks for fewer', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
    { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
  ]);
  // At --alpha 0.3 round 2's p = 0.25 is accepted too: two accepted rounds.
  const first = await runCli([...args('out'), '--rounds', '2', '--alpha', '0.3'], env);
  expect(first.code, first.stderr).toBe(0);
  const lower = await runCli([...args('out'), '--resume', '--rounds', '1', '--alpha', '0.3'], env);
  expect(lower.code, lower.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(dir, 'out', 'changelog.json'), 'utf8')) as {
    rounds: { outcome: string }[];
    stopped: string;
  };
  expect(log.rounds.map((entry) => entry.outcome)).toEqual(['accepted', 'accepted']);
  // Before: "1 rounds done".
  expect(log.stopped).toBe('2 rounds done');
}, 120_000);

it('refuses to start over a run killed in its first round without --resume', async () => {
  const { server, args, env, dir } = await project([{ candidates: [] }], 20);
  const run = startCli(args('out'), env);
  while (server.stats.requests < 10) await sleep(10);
  run.child.kill('SIGKILL');
  await run.done;
  const seven = await runCli([...args('out'), '--seed', '7'], env);
  expect(seven.code).toBe(2);
  expect(seven.stderr).toContain('--resume');
  const split = JSON.parse(readFileSync(join(dir, 'out', 'split.json'), 'utf8')) as {
    seed: number;
  };
  expect(split.seed).toBe(0);
}, 120_000);

it('a run stopped by --max-usd and resumed with more does not still say it stopped there', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
    { candidates: [edit(rarePrompt, 'name rare lottery codes too')] },
  ]);
  const stopped = await runCli([...args('out'), '--max-usd', '0.003'], env);
  expect(stopped.code).toBe(1);
  const out = join(dir, 'out');
  const resumed = await runCli([...args('out'), '--max-usd', '1', '--resume'], env);
  expect(resumed.code, resumed.stderr).toBe(0);
  const log = JSON.parse(readFileSync(join(out, 'changelog.json'), 'utf8')) as {
    rounds: { outcome: string }[];
    stopped: string | null;
  };
  expect(log.rounds.map((entry) => entry.outcome)).toEqual([
    'accepted',
    'no significant improvement',
  ]);
  // Before: "round 1: --max-usd: $0.0031 spent of $0.003; stopped before the next paid step".
  expect(log.stopped).toBe('round 2: no significant improvement');
  expect(readFileSync(join(out, 'changelog.md'), 'utf8')).not.toContain('Stopped: round 1');
}, 180_000);

it('says how to go on from a changelog.json cut short, and going on costs nothing', async () => {
  const { server, args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
    { candidates: [] },
  ]);
  const first = await runCli(args('out'), env);
  expect(first.code, first.stderr).toBe(0);
  const path = join(dir, 'out', 'changelog.json');
  const whole = readFileSync(path, 'utf8');
  writeFileSync(path, whole.slice(0, 200)); // as a kill in the middle of its write left it
  const requests = server.stats.requests;
  const cut = await runCli([...args('out'), '--resume'], env);
  // Before: "plexus: Unterminated string in JSON at position 200", exit 1, naming no file.
  expect(cut.code).toBe(2);
  expect(cut.stderr).toContain('changelog.json cannot be read');
  expect(cut.stderr).toContain('remove it and --resume');
  rmSync(path);
  const again = await runCli([...args('out'), '--resume'], env);
  expect(again.code, again.stderr).toBe(0);
  expect(server.stats.requests).toBe(requests);
  const log = JSON.parse(readFileSync(path, 'utf8')) as { rounds: { outcome: string }[] };
  expect(log.rounds.map((entry) => entry.outcome)).toEqual(['accepted', 'no valid candidate']);
}, 120_000);
