import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-review-spelling-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const composed = 'Caf\u00e9 Spam';
const decomposed = 'Cafe\u0301 Spam';
const data = write(
  'data.csv',
  'id,text,label\nm1,free prize,spam\nm2,hi mum,ham\nm3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Spelling\ndata: { path: ${data} }\nscores:\n  - { name: "${composed}", class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

// `review queue --score` with the score's name in another Unicode form said "no score Café Spam in
// the run (scores: Café Spam)", two names looking the same.
describe('plexus review queue --score in another Unicode form', () => {
  it('queues the run score of that name', async () => {
    const run = join(project, 'run');
    expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
    const out = join(project, 'queue.csv');
    const queued = await runMain([
      'review',
      'queue',
      '--run',
      run,
      '--score',
      decomposed,
      '--out',
      out,
      '--by',
      'cell',
      '--cell',
      'ham,spam',
    ]);
    expect(queued.stderr).toBe('');
    expect(queued.code).toBe(0);
    // By hand: m3 (free lunch) is gold ham, answered spam: the one item of the cell.
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^m3,${composed},`));
  });
});
