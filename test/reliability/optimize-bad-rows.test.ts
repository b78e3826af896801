// `plexus optimize` on a dataset with rows it cannot read: they were left out of the split in
// silence (no line, no count); evaluate reports such rows.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, project } from './optimize-project.js';

afterEach(closeServers);

it('names the rows it could not read and counts them in split.json', async () => {
  const { args, env, dir } = await project([{ candidates: [] }]);
  // Line 96 is not JSON, line 97 repeats the id of line 1.
  appendFileSync(
    join(dir, 'items.jsonl'),
    '{"id": "x", "text": oops\n{"id":"i0","text":"[[gold:ham]] again","label":"ham"}\n',
  );
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain('2 rows of');
  expect(result.stderr).toContain('line 96: ');
  expect(result.stderr).toContain('line 97: repeats id "i0"');
  const split = JSON.parse(readFileSync(join(dir, 'out', 'split.json'), 'utf8')) as {
    ids: Record<string, string[]>;
    rows_not_read: { line: number }[];
  };
  expect(split.rows_not_read.map((problem) => problem.line)).toEqual([96, 97]);
  // By hand: the 95 good rows, each in one part.
  expect(Object.values(split.ids).flat()).toHaveLength(95);
}, 120_000);
