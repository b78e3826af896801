// A score package that changes what it is handed: the upstream results and the item's metadata.
// Before, `item.results.Upstream.value = 'no'` in a downstream score changed Upstream's stored line
// (its answer, `correct`, hence its accuracy) and what every later score saw; metadata changes
// reached later scores too. Counted by hand against the dataset.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, workDir, writeScorePackage } from './harness.js';

it("a score that changes its upstream results and metadata changes neither the stored lines nor later scores' view", async () => {
  const dir = workDir('mutating-score');
  writeScorePackage(
    dir,
    'plexus-score-meddler',
    `const behaviours = {
  // yes for odd ids, no for even ones
  parity: (item) => ({ value: Number(item.id) % 2 ? 'yes' : 'no', status: 'ok' }),
  meddle: (item) => {
    for (const output of Object.values(item.results)) output.value = 'no';
    item.metadata.topic = 'changed';
    return { value: 'yes', status: 'ok' };
  },
  // says what it sees of Upstream and of the metadata
  look: (item) => ({ value: item.results.Upstream.value, status: 'ok', explanation: item.metadata.topic }),
};
export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-meddler',
  factories: [{
    specificationVersion: 'v1', kind: 'meddler',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-meddler/meddler', name: env.name,
      labels: ['yes', 'no'], fingerprint: settings.does, maxBatchSize: 4,
      async doScore({ items }) { return items.map(behaviours[settings.does]); },
    }),
  }],
};
`,
  );
  const ids = Array.from({ length: 9 }, (_, index) => index + 1);
  writeFileSync(
    join(dir, 'data.csv'),
    `id,text,topic,label\n${ids.map((id) => `${id},text ${id},billing,${id % 2 ? 'yes' : 'no'}`).join('\n')}\n`,
  );
  const card = join(dir, 'card.yaml');
  const score = (name: string, does: string, extra = '') =>
    `  - name: ${name}\n    class: plexus-score-meddler/meddler\n    labels: [yes, no]\n    does: ${does}\n${extra}`;
  writeFileSync(
    card,
    `name: Meddling\ndata:\n  path: data.csv\nscores:\n${score('Upstream', 'parity', '    label_column: label\n')}${score('Meddler', 'meddle', '    depends_on: [Upstream]\n')}${score('Looker', 'look', '    depends_on: [Meddler, Upstream]\n')}`,
  );
  const out = join(dir, 'run');
  const result = await runCli(['evaluate', card, '--out', out, '--no-cache', '--quiet']);
  expect(result.code, result.stderr).toBe(0);
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(
      (text) =>
        JSON.parse(text) as {
          item_id: string;
          score: string;
          value: string;
          correct: boolean | null;
          explanation: string | null;
        },
    );
  const of = (name: string) => lines.filter((line) => line.score === name);
  // Upstream answered yes for the 5 odd ids and no for the 4 even ones, all right: as stored.
  expect(of('Upstream')).toHaveLength(9);
  expect(of('Upstream').filter((line) => line.value === 'yes')).toHaveLength(5);
  expect(of('Upstream').every((line) => line.correct === true)).toBe(true);
  // The later score saw Upstream's own answers and the dataset's topic (on every item: a loop
  // over no line would check nothing).
  expect(of('Looker')).toHaveLength(9);
  for (const line of of('Looker')) {
    expect(line.value).toBe(Number(line.item_id) % 2 ? 'yes' : 'no');
    expect(line.explanation).toBe('billing');
  }
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
    scores: Record<string, { accuracy: number }>;
  };
  expect(metrics.scores.Upstream!.accuracy).toBe(1);
});
