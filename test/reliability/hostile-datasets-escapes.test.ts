// Hostile datasets (issue 22): escape codes in headers, ids and score names are printed escaped,
// never sent to the terminal. (More hostile datasets: hostile-datasets.test.ts and
// hostile-datasets-parquet.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { card, control, dir } from './datasets-harness.js';
import { runCli } from './harness.js';

describe('escape codes in data are printed escaped', () => {
  const title = '\u001b]0;pwned\u0007';
  const clear = '\u001b[2J\u009b2J';

  async function printed(args: string[]) {
    const { code, stdout, stderr } = await runCli(args);
    expect(`${stdout}${stderr}`).not.toMatch(control);
    return { code, stdout, stderr };
  }

  it('a header: the missing-column message shows the names with \\u001b escapes', async () => {
    const path = join(dir, 'header.csv');
    writeFileSync(path, `id,${title}body${clear}\nx,hello\n`);
    const { code, stderr } = await printed([
      'evaluate',
      card,
      '--data',
      path,
      '--out',
      join(dir, 'run-header'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('columns are: id, \\u001b]0;pwned\\u0007body\\u001b[2J\\u009b2J');
  });

  it('ids in skipped-row messages, and a score name in the summary table', async () => {
    const path = join(dir, 'ids.csv');
    writeFileSync(path, `id,text\n${clear}x,hello\n${clear}x,hello again\ny,bye\n`);
    const named = join(dir, 'named.yaml');
    writeFileSync(
      named,
      'name: Hostile\nscores:\n  - { name: "G\\e]0;pwned\\a", class: heuristic/keywords, labels: [yes, no], phrases: [hello] }\n',
    );
    const out = join(dir, 'run-ids');
    const { code, stdout, stderr } = await printed([
      'evaluate',
      named,
      '--data',
      path,
      '--out',
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('row skipped: repeats id "\\u001b[2J\\u009b2Jx"');
    // The name whole (wrapped in its column), its controls escaped.
    expect(stdout).toMatch(/^G\\u001b]0;pwned\\/m);
    // The files keep the data as it was: JSON with the characters escaped its own way.
    const stored = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n')[0]!);
    expect(stored.item_id).toBe(`${clear}x`);
    // --json on stdout is still JSON with the same values.
    const json = await printed([
      'evaluate',
      named,
      '--data',
      path,
      '--out',
      `${out}-json`,
      '--json',
    ]);
    expect(Object.keys(JSON.parse(json.stdout).scores)).toEqual(['G\u001b]0;pwned\u0007']);
  });

  it('validate: a setting named with escape codes', async () => {
    const bad = join(dir, 'bad-setting.yaml');
    writeFileSync(
      bad,
      'name: Hostile\nscores:\n  - { name: A, class: heuristic/keywords, labels: [yes, no], phrases: [hi], "\\e[2Jx": 1 }\n',
    );
    const { code, stderr } = await printed(['validate', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown setting "\\u001b[2Jx"');
  });
});
