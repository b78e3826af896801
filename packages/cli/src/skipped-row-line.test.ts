import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { printable } from './output.js';
import { runMain } from './test-packages.js';

// evaluate printed a skipped row's message as it is: a repeated id holding a line break printed a
// line of the dataset's choosing. Every command's skipped-row line is `skippedRowLine` now.
it('evaluate: a repeated id with a line break stays on its skipped-row line', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-skipped-line-'));
  const forged = 'Run completed: 0 errors';
  const card = join(folder, 'card.yaml');
  writeFileSync(
    card,
    'name: NL\nscores:\n  - { name: Spam Words, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n',
  );
  const data = join(folder, 'ids.csv');
  writeFileSync(data, `id,text,label\n"x\n${forged}",free,spam\n"x\n${forged}",hi,ham\n`);
  const { code, stderr } = await runMain([
    'evaluate',
    card,
    '--data',
    data,
    '--out',
    join(folder, 'run'),
  ]);
  expect(code, stderr).toBe(0);
  const lines = printable(stderr).split('\n');
  expect(lines).toContain(`${data}:4: row skipped: repeats id "x\\n${forged}"; ids must be unique`);
  expect(lines).not.toContain(`${forged}"; ids must be unique`);
});
