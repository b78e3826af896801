import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-report-rows-'));
const run = join(project, 'run');

function plexus(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The item ids of the report's misclassified and failed rows. */
function listedItems(): string[] {
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  return [
    ...html.matchAll(/<tr class="item kind-(?:misclassified|error)"[^>]*data-item="([^"]*)"/g),
  ].map((match) => match[1]!);
}

beforeAll(() => {
  // The rule says spam on "free": items w1, w2 and w3 are wrong (gold ham), r1 is right.
  writeFileSync(
    join(project, 'data.csv'),
    'id,text,label\nw1,free one,ham\nw2,free two,ham\nw3,free three,ham\nr1,hello,ham\n',
  );
  writeFileSync(
    join(project, 'card.yaml'),
    'name: Rows\nscores:\n  - { name: Spam, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free] }\n',
  );
  const evaluated = plexus([
    'evaluate',
    'card.yaml',
    '--data',
    'data.csv',
    '--out',
    run,
    '--quiet',
  ]);
  expect(evaluated.code).toBe(0);
});

describe('plexus report --max-rows', () => {
  it('lists that many misclassified items, and says how many of how many', () => {
    const written = plexus(['report', run, '--max-rows', '2']);
    expect(written.code).toBe(0);
    expect(listedItems()).toEqual(['w1', 'w2']);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('the first 2 of 3');
  });

  it('refuses what is not a whole number >= 0 (exit 2, naming the flag), the report unchanged', () => {
    plexus(['report', run, '--max-rows', '1']);
    const before = readFileSync(join(run, 'report.html'), 'utf8');
    for (const value of ['abc', '-1', '1.5', '']) {
      const refused = plexus(['report', run, '--max-rows', value]);
      expect(refused.code, value).toBe(2);
      expect(refused.stderr).toContain('--max-rows');
      expect(refused.stderr).toContain('whole number');
    }
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toBe(before);
  });

  it('0 lists none and says the 3 are in results.jsonl; no flag lists them all', () => {
    expect(plexus(['report', run, '--max-rows', '0']).code).toBe(0);
    expect(listedItems()).toEqual([]);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('the first 0 of 3');
    expect(plexus(['report', run]).code).toBe(0);
    expect(listedItems()).toEqual(['w1', 'w2', 'w3']);
  });
});
