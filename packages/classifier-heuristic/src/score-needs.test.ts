import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem, InvalidConfigError, parseScorecard } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-heuristic-needs-'));

async function problemsOf(source: string, csv: string): Promise<string[]> {
  const data = join(folder, 'data.csv');
  writeFileSync(data, csv);
  try {
    await parseScorecard(source, {
      file: join(folder, 'card.yaml'),
      displayName: 'card.yaml',
      plugins: [plugin],
      cacheDir: folder,
      checkData: data,
    });
    return [];
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    return error.problems.map((problem) => formatProblem(problem).replace(data, 'data.csv'));
  }
}

describe('heuristic scores checked against the data before a run', () => {
  it('refuses a keywords score without labels (yes/no) over spam/ham gold', async () => {
    const problems = await problemsOf(
      'name: Spam\nscores:\n  - name: Spam\n    class: heuristic/keywords\n    phrases: [win money]\n',
      'id,text,label\n1,win money now,spam\n2,lunch?,ham\n3,win money,spam\n',
    );
    expect(problems).toEqual([
      `card.yaml:3:5: scores[0].labels: 3 of 3 gold labels in 3 rows of data.csv are not among the score's labels (yes, no): "spam" ×2, "ham" ×1; the score gives yes, no: set labels: to the gold labels, or label_column to the right column`,
    ]);
  });

  it("checks a threshold's field and a logic rule's metadata against the columns", async () => {
    const problems = await problemsOf(
      `name: Calls
scores:
  - name: Long
    class: heuristic/threshold
    field: duration
    rules: [{ when: "> 60", label: long }]
    otherwise: short
    label_column: long
  - name: Vip
    class: heuristic/logic
    rules: [{ when: 'metadata["tier"] == "gold"', label: "yes" }]
    otherwise: "no"
    label_column: vip
`,
      'id,text,duration_s,teir,long,vip\n1,hi,30,gold,short,yes\n',
    );
    expect(problems).toEqual([
      'card.yaml:5:12: scores[0].field: no column "duration" for metadata field "duration" in data.csv; did you mean "duration_s"? (columns: id, text, duration_s, teir, long, vip)',
      `card.yaml:11:21: scores[1].rules[0].when: no column "tier" for metadata field "tier" in data.csv; did you mean "teir"? (columns: id, text, duration_s, teir, long, vip)`,
    ]);
  });
});
