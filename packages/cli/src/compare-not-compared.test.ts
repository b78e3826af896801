import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Two runs of the same data: A scored Words, Free and Prize; B scored Words and Winner. compare
// pairs Words with Words; the other scores were left out of its output without a word.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-compare-unpaired-'));

function plexus(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache'), MLFLOW_TRACKING_URI: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function card(name: string, scores: string[]): string {
  const lines = scores.map(
    (score) =>
      `  - { name: ${score}, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [${score.toLowerCase()}] }`,
  );
  writeFileSync(join(project, `${name}.yaml`), `name: ${name}\nscores:\n${lines.join('\n')}\n`);
  return `${name}.yaml`;
}

beforeAll(() => {
  writeFileSync(
    join(project, 'data.csv'),
    'id,text,label\n1,free prize,spam\n2,hello words,ham\n3,winner free,spam\n4,see you,ham\n',
  );
  for (const [name, scores] of [
    ['a', ['Words', 'Free', 'Prize']],
    ['b', ['Words', 'Winner']],
  ] as const) {
    const ran = plexus(['evaluate', card(name, [...scores]), '--data', 'data.csv', '--out', name]);
    expect(ran.code, ran.stderr).toBe(0);
  }
});

describe('plexus compare with scores that are in one run only', () => {
  it('names the scores it did not compare, in the text and in --json', () => {
    const text = plexus(['compare', 'a', 'b']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Words: 4 items scored by both');
    expect(text.stdout).toContain(
      'not compared (in no pair; --pair A=B pairs two scores): run A: Free, Prize; run B: Winner',
    );
    const json = JSON.parse(plexus(['compare', 'a', 'b', '--json']).stdout);
    expect(json.scores.map((score: { score_a: string }) => score.score_a)).toEqual(['Words']);
    expect(json.not_compared).toEqual({ a: ['Free', 'Prize'], b: ['Winner'] });
  });

  it('with --pair, lists the scores of no pair; with every score paired, nothing', () => {
    const paired = JSON.parse(
      plexus(['compare', 'a', 'b', '--pair', 'Free=Winner', '--json']).stdout,
    );
    expect(paired.not_compared).toEqual({ a: ['Words', 'Prize'], b: ['Words'] });
    const same = plexus(['compare', 'b', 'b']);
    expect(same.stdout).not.toContain('not compared');
    expect(JSON.parse(plexus(['compare', 'b', 'b', '--json']).stdout).not_compared).toEqual({
      a: [],
      b: [],
    });
  });
});
