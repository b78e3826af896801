import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';
import { startViewer } from './view/server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-compare-pair-names-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const data = write(
  'data.csv',
  'id,text,label\n1,free prize,spam\n2,hi mum,ham\n3,free lunch,ham\n4,win cash,spam\n',
);

function card(file: string, scores: [string, string][]): string {
  const lines = scores.map(
    ([name, phrase]) =>
      `  - { name: ${JSON.stringify(name)}, class: heuristic/keywords, phrases: [${phrase}], labels: [spam, ham], label_column: label }`,
  );
  return write(file, `name: ${file}\ndata: { path: ${data} }\nscores:\n${lines.join('\n')}\n`);
}

// Names are data and may hold `=`; `--pair a=b=c` was refused ("expected SCORE_A=SCORE_B") even
// where only one reading names a score of each run.
describe('plexus compare --pair with = in a score name', () => {
  it('takes the one reading that names a score of each run, and says when there are two', async () => {
    const runA = join(project, 'a');
    const runB = join(project, 'b');
    await runMain([
      'evaluate',
      card('a.yaml', [
        ['free=any', 'free'],
        ['free', 'free'],
      ]),
      '--out',
      runA,
      '--quiet',
    ]);
    await runMain([
      'evaluate',
      card('b.yaml', [
        ['words', 'free, win'],
        ['any=words', 'win'],
      ]),
      '--out',
      runB,
      '--quiet',
    ]);

    // Two readings name a score of each run: said, with both.
    const both = await runMain(['compare', runA, runB, '--pair', 'free=any=words', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      '"free=any=words" can be read "free" with "any=words" or "free=any" with "words"',
    );

    const single = await runMain(['compare', runA, runB, '--pair', 'free=any=any=words', '--json']);
    expect(single.code, single.stderr).toBe(0);
    const result = JSON.parse(single.stdout);
    expect(
      result.scores.map((score: { score_a: string; score_b: string }) => [
        score.score_a,
        score.score_b,
      ]),
    ).toEqual([['free=any', 'any=words']]);
    // 4 items with gold: free=any says spam on 1 and 3, any=words on 4: right on 2 and 3 of 4.
    expect(result.scores[0].accuracy_a).toBe(0.5);
    expect(result.scores[0].accuracy_b).toBe(0.75);

    const none = await runMain(['compare', runA, runB, '--pair', 'nope=x=y']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('expected SCORE_A=SCORE_B');

    // The viewer's compare page reads `pair=` the same way; one that is no pair is said on the
    // page (it was left out in silence and the scores compared by name).
    const viewer = await startViewer({ root: project, port: 0 });
    try {
      const page = async (pair: string) =>
        (
          await fetch(new URL(`/compare?a=a&b=b&pair=${encodeURIComponent(pair)}`, viewer.url))
        ).text();
      const paired = await page('free=any=any=words');
      expect(paired).toContain('free=any');
      expect(paired).toContain('any=words');
      expect(paired).not.toContain('class="problem"');
      expect(await page('free')).toContain('expected SCORE_A=SCORE_B');
    } finally {
      await viewer.close();
    }
  });
});
