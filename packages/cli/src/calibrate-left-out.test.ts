import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain, writeScorePackage } from './test-packages.js';

// `plexus calibrate` fitted on the labelled answers with a confidence and said nothing of the
// others: 200 rows gave "fitted on 99 answers, measured on 43" with 58 results left out unsaid.
it('says how many results it left out and why (hand count: 4 failed, 3 without gold, 2 without a confidence)', async () => {
  const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-left-out-'));
  writeScorePackage(
    project,
    'plexus-score-some',
    `export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-some',
  factories: [{
    specificationVersion: 'v1', kind: 'some',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-some/some', name: env.name,
      labels: ['yes', 'no'], fingerprint: 'some-1',
      async doScore({ items }) {
        return items.map((item) => {
          const [value, confidence] = item.text.split(' ');
          if (value === 'boom') return { value: null, status: 'error', error: { message: 'boom' } };
          if (confidence === undefined) return { value, status: 'ok' };
          return { value, confidence: Number(confidence), status: 'ok' };
        });
      },
    }),
  }],
};
`,
  );
  const rows = Array.from({ length: 40 }, (_, index) => {
    const text = index < 4 ? 'boom' : index < 6 ? 'yes' : `yes 0.${50 + index}`;
    const gold = index >= 6 && index < 9 ? '' : index % 3 ? 'yes' : 'no';
    return `i${index},${text},${gold}`;
  });
  writeFileSync(join(project, 'data.csv'), `id,text,Some\n${rows.join('\n')}\n`);
  const card = join(project, 'card.yaml');
  writeFileSync(
    card,
    'name: Some\ndata: { path: data.csv }\nscores:\n  - name: Some\n    class: plexus-score-some/some\n    labels: [yes, no]\n',
  );
  const run = await runMain([
    'calibrate',
    card,
    '--score',
    'Some',
    '--cache-dir',
    join(project, 'c'),
  ]);
  expect(run.code, run.stderr).toBe(0);
  // 40 rows: i0-i3 failed, i4-i5 no confidence, i6-i8 no gold: 31 answers to fit and measure.
  expect(run.stdout).toContain('fitted on 22 answers, measured on 9 held out');
  expect(run.stdout).toContain(
    '  left out: 9 of the 40 results: 4 failed or skipped, 3 without a gold label, 2 without a confidence',
  );
});
