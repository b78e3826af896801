import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

// Star ratings as labels, a year as a score name: YAML reads them as numbers, and the message was
// "Invalid input: expected string, received number" without the fix (quotes) nor the text to quote.
describe('a label or name YAML reads as a number, true/false or null', () => {
  it('is told to be written in quotes, exactly as it was written', async () => {
    const dir = workDir('unquoted');
    writeFileSync(join(dir, 'd.csv'), 'id,text,label\n1,great,5\n2,bad,1\n');
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      'name: T\nkey: t\ndata:\n  path: d.csv\nscores:\n  - name: 2024\n    class: heuristic/keywords\n    phrases: [great]\n    labels: [5, 1.0, true, null]\n    label_column: label\n',
    );
    const run = await runCli(['validate', card]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'card.yaml:6:11: scores[0].name: 2024 is read as a number, not text: write it in quotes: "2024"',
    );
    expect(run.stderr).toContain(
      'card.yaml:9:14: scores[0].labels[0]: 5 is read as a number, not text: write it in quotes: "5"',
    );
    // The quotes keep what was written: 1.0 unquoted is the number 1.
    expect(run.stderr).toContain(
      'scores[0].labels[1]: 1.0 is read as a number, not text: write it in quotes: "1.0"',
    );
    expect(run.stderr).toContain(
      'scores[0].labels[2]: true is read as true or false, not text: write it in quotes: "true"',
    );
    expect(run.stderr).toContain(
      'scores[0].labels[3]: null is read as nothing (null), not text: write it in quotes: "null"',
    );
  });
});
