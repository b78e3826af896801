import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterItems, filterOf } from './item-filter.js';
import { ResultIndex } from './result-index.js';

function line(item: number, score: string): string {
  return JSON.stringify({
    item_id: `item-${item}`,
    score,
    value: item % 97 === 5 ? null : item % 3 === 0 ? 'no' : 'yes',
    status: item % 97 === 5 ? 'error' : 'ok',
    label: item % 2 === 0 ? 'yes' : 'no',
    correct: null,
    explanation: item < 300 ? 'short' : `a longer explanation ${'words '.repeat(item % 50)}`,
    ...(score === 'A' ? { text: `text of item ${item}` } : {}),
  });
}

describe('the index columns (typed arrays grown as lines come)', () => {
  it('every line, item and label as a count by hand, and lines appended later', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'plexus-columns-')), 'results.jsonl');
    const lines: string[] = [];
    // 2,000 items, their three lines apart (B and C after every A), so the chains matter.
    for (let item = 0; item < 2000; item += 1) lines.push(line(item, 'A'));
    for (let item = 0; item < 2000; item += 1) lines.push(line(item, 'B'), line(item, 'C'));
    writeFileSync(path, `${lines.join('\n')}\n`);
    const index = new ResultIndex(path);
    index.refresh();
    expect(index.lineCount).toBe(6000);
    expect(index.items).toHaveLength(2000);
    expect(index.linesOf('item-1500')).toEqual([1500, 2000 + 2 * 1500, 2001 + 2 * 1500]);
    expect(index.readLine(2001 + 2 * 1500)).toMatchObject({ item_id: 'item-1500', score: 'C' });
    expect(index.textOfItem(1999)).toEqual({
      snippet: 'text of item 1999',
      length: 17,
      whole: true,
    });
    const count = (query: string) =>
      filterItems(index, filterOf(new URLSearchParams(query))).matched;
    const byHand = (keep: (item: number) => boolean) =>
      Array.from({ length: 2000 }, (_, item) => item).filter(keep).length * 3;
    expect(count('status=error')).toBe(byHand((item) => item % 97 === 5));
    expect(count('predicted=no&gold=yes')).toBe(
      byHand((item) => item % 97 !== 5 && item % 3 === 0 && item % 2 === 0),
    );
    appendFileSync(path, `${line(2000, 'A')}\n${line(5, 'B')}\n`);
    index.refresh();
    expect(index.lineCount).toBe(6002);
    expect(index.linesOf('item-5')).toEqual([5, 2010, 2011, 6001]);
    expect(index.linesOf('item-2000')).toEqual([6000]);
  });
});
