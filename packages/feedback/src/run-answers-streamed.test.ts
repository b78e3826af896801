import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readRunAnswers, readRunResults } from './run-answers.js';

// readRunAnswers kept every result of the run (texts included) before it picked the answers: a
// million-item run's took 2.7 GB for `feedback agreement --run`. It reads line by line now; the
// answers must be those the whole results give, in the same order.

/** The answers as the code before this change computed them, from the whole results. */
async function answersFromResults(dir: string) {
  const answers = new Map<string, Map<string, string>>();
  for (const result of await readRunResults(dir)) {
    if (result.status !== 'ok' || result.value === null) continue;
    if (!answers.has(result.score)) answers.set(result.score, new Map());
    answers.get(result.score)!.set(result.item_id, result.value);
  }
  return answers;
}

const line = (item_id: string, score: string, status: string, value: string | null) =>
  JSON.stringify({ item_id, score, status, value, label: null, confidence: null, text: 't' });

it('gives the answers of each item and score’s last line, in the order of the whole results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-run-answers-'));
  const lines = [
    line('a', 'Late', 'error', null), // an error, answered by a resume below
    line('a', 'B', 'ok', 'yes'),
    line('b', 'B', 'ok', 'no'),
    line('b', 'Late', 'ok', 'x'),
    line('c', 'B', 'ok', 'yes'),
    line('a', 'Failed', 'error', null), // only errors: no answers at all
    line('c', 'B', 'error', null), // a resume's later error: c has no B answer
    line('a', 'Late', 'ok', 'y'), // a resume's later answer: a answers y, in its first place
    line('b', 'B', 'ok', 'yes'), // replaced: yes
    '{"item_id":"d","score":"B","status":"ok","val', // a line a crash cut short
    line('d', 'B', 'skipped', null),
  ];
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  const answers = await readRunAnswers(dir);
  const expected = await answersFromResults(dir);
  const entries = (map: Map<string, Map<string, string>> | typeof answers) =>
    [...map].map(([score, items]) => [score, [...items]]);
  expect(entries(answers)).toEqual(entries(expected));
  // Counted by hand: Late's a (its first line, an error later answered) comes first.
  expect(entries(answers)).toEqual([
    [
      'Late',
      [
        ['a', 'y'],
        ['b', 'x'],
      ],
    ],
    [
      'B',
      [
        ['a', 'yes'],
        ['b', 'yes'],
      ],
    ],
  ]);
});
