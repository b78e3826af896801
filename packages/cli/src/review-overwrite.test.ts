import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-review-overwrite-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const data = write(
  'data.csv',
  'id,text,label\nm1,free prize,spam\nm2,hi mum,ham\nm3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Overwrite\ndata: { path: ${data} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

const queue = (out: string) => [
  'review',
  'queue',
  '--run',
  join(project, 'run'),
  '--n',
  '3',
  '--out',
  out,
];

// `review queue --out review.csv` wrote over the file a reviewer was filling in (labels not yet
// imported), or over any file of that name (`--out data.csv`): their work was lost.
describe('plexus review queue --out over an existing file', () => {
  it('writes over an unfilled queue, and refuses a filled one or another file, writing nothing', async () => {
    expect((await runMain(['evaluate', card, '--out', join(project, 'run'), '--quiet'])).code).toBe(
      0,
    );
    const out = join(project, 'review.csv');
    expect((await runMain(queue(out))).code).toBe(0);
    // Again, unfilled: written over (the same queue).
    const first = readFileSync(out, 'utf8');
    expect((await runMain(queue(out))).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);

    // A reviewer fills two labels in.
    const filled = first.replace(/^(m1,Spam,)/m, '$1spam').replace(/^(m2,Spam,)/m, '$1ham');
    writeFileSync(out, filled);
    const refused = await runMain(queue(out));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `--out: ${out} holds 2 reviewed rows (labels filled in); import them`,
    );
    expect(readFileSync(out, 'utf8')).toBe(filled);

    // Another file of that name: the dataset.
    const before = readFileSync(data, 'utf8');
    const other = await runMain(queue(data));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`--out: ${data} exists and is not a review queue`);
    expect(readFileSync(data, 'utf8')).toBe(before);

    // A new name is written.
    const fresh = join(project, 'review-2.csv');
    expect((await runMain(queue(fresh))).code).toBe(0);
    expect(existsSync(fresh)).toBe(true);
  });
});
