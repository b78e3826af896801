// `plexus optimize` on a score that runs only when another score's condition holds: the items it
// skips are no answers (as `plexus evaluate` and the holdout's McNemar count them), not wrong ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, kinds, prizePrompt, project, readLog } from './optimize-project.js';

afterEach(closeServers);

it('leaves the items a condition skipped out of train and validation accuracy', async () => {
  const { args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
  ]);
  // Gate says yes on the "prize" items only ("you won, call now"); Spam runs where it does.
  const card = join(dir, 'spam.yaml');
  const text = readFileSync(card, 'utf8')
    .replace(
      'scores:\n',
      'scores:\n  - { name: Gate, class: heuristic/keywords, labels: [yes, no], phrases: [call] }\n',
    )
    .replace(
      '    class: llm/classifier\n',
      '    class: llm/classifier\n    depends_on: { Gate: { operator: "==", value: "yes" } }\n',
    );
  writeFileSync(card, text);
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const out = join(dir, 'out');
  const split = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8')) as {
    ids: Record<'train' | 'validation' | 'holdout', string[]>;
  };
  const prize = (part: 'train' | 'validation' | 'holdout') =>
    split.ids[part].filter((id) => kinds[Number(id.slice(1))] === 'prize').length;
  const log = JSON.parse(readFileSync(join(out, 'changelog.json'), 'utf8')) as {
    rounds: {
      outcome: string;
      metrics: {
        train: { current: number; candidate: number };
        validation: { current: number; candidate: number };
        holdout: { current: number; candidate: number; items: number };
      };
      generalisation_gap: number;
    }[];
  };
  const [round] = log.rounds;
  expect(round!.outcome).toBe('accepted');
  // By hand: every answered item is a prize item, wrong before the edit and right after it.
  expect(round!.metrics.holdout.items).toBe(prize('holdout'));
  expect(round!.metrics.train).toEqual({ current: 0, candidate: 1 });
  expect(round!.metrics.validation).toEqual({ current: 0, candidate: 1 });
  expect(round!.metrics.holdout).toEqual({ current: 0, candidate: 1, items: prize('holdout') });
  // Before: train 0.561 (32 of 57, the 25 skipped counted wrong) beside holdout 1.000: gap -0.439.
  expect(round!.generalisation_gap).toBe(0);
  expect(readLog(out).rounds).toHaveLength(1);
  const trainSkipped = split.ids.train.length - prize('train');
  expect(result.stderr).toContain(
    `current train 0.000 (${trainSkipped} skipped by conditions, left out)`,
  );
}, 120_000);
