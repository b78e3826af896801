import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextStore } from './text-store.js';

function found(store: TextStore, needle: string): number[] {
  const marks = new Uint8Array(store.count);
  store.search(needle.toLowerCase(), marks);
  return [...marks.keys()].filter((entry) => marks[entry] === 1);
}

describe('TextStore', () => {
  it('finds every entry containing the needle, as a plain includes() over each entry would', () => {
    const store = new TextStore();
    // Over 4 MiB of text: two chunks, the first all Latin-1, the second with wider characters
    // (a two-byte string); entries that end and start a needle.
    const texts = Array.from({ length: 6000 }, (_, index) => {
      const filler = 'x'.repeat(700 + (index % 13));
      if (index === 5982 || index === 5990) return `${filler} Café – “needle” ${index}`;
      if (index % 997 === 0) return `${filler} Café needle ${index}`;
      if (index % 501 === 0) return `${filler} nee`;
      if (index % 501 === 1) return `dle ${filler}`;
      return `${filler} ${index}`;
    });
    for (const text of texts) store.add(text);
    for (const needle of [
      'needle',
      'café – “needle”',
      'NEEDLE',
      'x 5999',
      'nowhere',
      'x'.repeat(5),
    ]) {
      const expected = texts
        .map((text, index) => (text.toLowerCase().includes(needle.toLowerCase()) ? index : -1))
        .filter((index) => index >= 0);
      expect(found(store, needle)).toEqual(expected);
    }
    // A match never spans two entries ("…nee" + "dle…").
    expect(found(store, 'nee\u0000dle')).toEqual([]);
  });

  it('searches entries added after an earlier search (a live run)', () => {
    const store = new TextStore();
    store.add('first answer');
    expect(found(store, 'answer')).toEqual([0]);
    store.add('second answer');
    expect(found(store, 'answer')).toEqual([0, 1]);
    expect(found(store, 'second')).toEqual([1]);
  });

  it('keeps its text in a file that has no name in the temporary folder (nothing is left there)', () => {
    const before = process.env.TMPDIR;
    const folder = mkdtempSync(join(tmpdir(), 'plexus-store-tmp-'));
    process.env.TMPDIR = folder;
    try {
      const store = new TextStore();
      for (let entry = 0; entry < 3000; entry += 1) store.add(`entry ${entry} ${'z'.repeat(2000)}`);
      expect(found(store, 'entry 2999 ')).toEqual([2999]);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('holds its text in memory where no file can be made (no temporary folder)', () => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = join(tmpdir(), 'plexus-no-such-folder', 'deeper');
    try {
      const store = new TextStore();
      for (let entry = 0; entry < 3000; entry += 1) store.add(`entry ${entry} ${'z'.repeat(2000)}`);
      store.add('the last one');
      expect(found(store, 'entry 1500 ')).toEqual([1500]);
      expect(found(store, 'last')).toEqual([3000]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });
});
