import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from './test-packages.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-due-only-cli-'));

/** A run folder of items `from`..`to` - 1, each answered right. */
function run(name: string, from: number, to: number): string {
  const dir = join(folder, name);
  mkdirSync(dir);
  const lines = [];
  for (let item = from; item < to; item += 1)
    lines.push(
      JSON.stringify({
        item_id: `i${item}`,
        score: 'Spam',
        value: 'spam',
        status: 'ok',
        label: 'spam',
        correct: true,
      }),
    );
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

// A run of 40 items compared with a --limit 30 run of the same data: "30 items scored by both",
// and the 10 others of run A were not mentioned.
it('plexus compare says how many items due in one run only it left out (hand count)', async () => {
  const whole = run('whole', 0, 40);
  const limited = run('limited', 0, 30);
  const text = await runMain(['compare', whole, limited]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(
    'Spam: 30 items scored by both (an error counts as wrong); left out, due in one run only: 10 of run A, 0 of run B',
  );
  const json = JSON.parse((await runMain(['compare', whole, limited, '--json'])).stdout);
  expect(json.scores[0]).toMatchObject({ n: 30, due_only_a: 10, due_only_b: 0 });
  const same = await runMain(['compare', whole, whole]);
  expect(same.stdout).toContain('Spam: 40 items scored by both (an error counts as wrong)\n');
});
