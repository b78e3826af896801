import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readDataset } from './dataset.js';

// A JSONL row whose text is an object or a list was reported as having "no text".
it('a row whose text is a list or an object says so; one without text says it has none', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'plexus-text-kind-')), 'rows.jsonl');
  writeFileSync(
    path,
    [
      { id: 1, text: 'fine' },
      { id: 2, text: { body: 'hello' } },
      { id: 3, text: ['hello'] },
      { id: 4, text: null },
      { id: 5 },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
  );
  const problems: string[] = [];
  const ids: string[] = [];
  for await (const item of readDataset({
    path,
    onProblem: (problem) => problems.push(`${problem.line}: ${problem.message}`),
  }))
    ids.push(item.id);
  expect(ids).toEqual(['1']);
  expect(problems).toEqual([
    `2: has an object, not text, in column "text": write the item's text as a string`,
    `3: has a list, not text, in column "text": write the item's text as a string`,
    '4: has no text in column "text"',
    '5: has no text in column "text"',
  ]);
});
