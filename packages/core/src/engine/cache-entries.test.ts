import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryCache } from '../cache/directory-cache.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { runEngineBatches } from './engine.js';
import { cardItems, collect, testScores } from './engine-fixture.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const card = 'name: X\nscores:\n  - { name: Card, class: test/contains, word: card }\n';

describe('cached outputs the score would not have stored', () => {
  it('are misses: the item is scored again, never a result with a bad status or label', async () => {
    const scores = await testScores(card);
    const items = cardItems(6);
    const dir = mkdtempSync(join(tmpdir(), 'plexus-cache-entries-'));
    folders.push(dir);
    const cold = new DirectoryCache<ScoreOutputV1>(dir);
    await collect(runEngineBatches({ scores, scorecard: 'X', items, cache: cold }));
    cold.close();
    // Tamper with the log as a hand edit, a cut disk or another version might: items 0-3 get a
    // label the score lacks, an unknown status, a label in another case, an error status.
    const logDir = join(dir, 'log');
    const [log] = readdirSync(logDir);
    const path = join(logDir, log!);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const edits: [string, string][] = [
      ['"value":"yes"', '"value":"maybe"'],
      ['"status":"ok"', '"status":"weird"'],
      ['"value":"no"', '"value":"NO"'],
      ['"status":"ok"', '"status":"error"'],
    ];
    const tampered = new Set<string>();
    for (const [from, to] of edits) {
      const index = lines.findIndex((line, at) => line.includes(from) && !tampered.has(`${at}`));
      lines[index] = lines[index]!.replace(from, to);
      tampered.add(`${index}`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    const warm = new DirectoryCache<ScoreOutputV1>(dir);
    const results = (
      await collect(runEngineBatches({ scores, scorecard: 'X', items, cache: warm }))
    )
      .flat()
      .sort((left, right) => left.item.id.localeCompare(right.item.id));
    warm.close();
    // Every value is what the score says (yes for every third item), four scored again.
    expect(
      results.map((result) => [result.item.id, result.output.status, result.output.value]),
    ).toEqual(items.map((item, index) => [item.id, 'ok', index % 3 === 0 ? 'yes' : 'no']));
    expect(results.filter((result) => !result.cached)).toHaveLength(4);
  });
});
