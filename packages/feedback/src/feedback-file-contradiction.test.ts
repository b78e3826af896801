import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigError } from '@plexus/core';
import { expect, it } from 'vitest';
import { readFeedbackFile } from './feedback-file.js';

// One file holding the same review twice (item, score, reviewer and time) with two labels: the
// second replaced the first in silence ("1 changed"), a copy-paste mistake kept as data.
it('refuses one review given twice with two labels in a file, naming both lines', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'plexus-feedback-twice-')), 'reviews.csv');
  writeFileSync(
    file,
    'item_id,score,label,reviewer,reviewed_at,comment\n1,Topic,yes,ann,2026-01-01,\n1,Topic,no,ann,2026-01-01,\n2,Topic,yes,ann,2026-01-01,\n2,Topic,yes,ann,2026-01-01,\n',
  );
  let error: unknown;
  try {
    await readFeedbackFile(file);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InvalidConfigError);
  const problems = (error as InvalidConfigError).problems;
  // By hand: line 3 contradicts line 2; lines 4 and 5 are the same review alike (kept once).
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ line: 3 });
  expect(problems[0]!.message).toContain('line 2');
  expect(problems[0]!.message).toContain('"no"');
  expect(problems[0]!.message).toContain('"yes"');
});
