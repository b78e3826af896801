import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheIndex } from './cache-index.js';
import { indexKey, scanLines, scanLog } from './cache-log.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('CacheIndex', () => {
  it('answers as a Map of indexKey(key) does, through growth and newer places', () => {
    const index = new CacheIndex();
    const reference = new Map<string, number>();
    const keys = Array.from({ length: 5000 }, (_, number) => sha(String(number)));
    // Keys that are not lowercase hex of 64 characters go to the map as indexKey says.
    keys.push('results:short', 'A'.repeat(64), `${'0'.repeat(48)}ABCDEF0123456789`, '');
    keys.forEach((key, number) => {
      const place = number === 0 ? 0 : number * 2 ** 33 + number; // place 0 and large places
      index.set(key, place);
      reference.set(indexKey(key), place);
    });
    for (const key of keys.slice(0, 100)) {
      index.set(key, 7); // a newer line of the same key
      reference.set(indexKey(key), 7);
    }
    expect(index.size).toBe(reference.size);
    for (const key of keys) expect(index.get(key)).toBe(reference.get(indexKey(key)));
    for (let number = 5000; number < 6000; number += 1)
      expect(index.get(sha(String(number)))).toBeUndefined();
    expect(index.get('results:other')).toBeUndefined();
  });

  it('tells apart keys whose low bits are equal, and a key from its uppercase form', () => {
    const index = new CacheIndex();
    // The same low 32 bits (where a slot is chosen), a different high half.
    const keys = Array.from(
      { length: 3000 },
      (_, number) => `${'0'.repeat(48)}${number.toString(16).padStart(8, '0')}abcdef01`,
    );
    for (const [number, key] of keys.entries()) index.set(key, number);
    for (const [number, key] of keys.entries()) expect(index.get(key)).toBe(number);
    const lower = sha('x');
    index.set(lower, 1);
    index.set(lower.toUpperCase(), 2);
    expect(index.get(lower)).toBe(1);
    expect(index.get(lower.toUpperCase())).toBe(2);
  });

  it('indexes a log from its bytes as from its keys', () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-cache-index-'));
    try {
      const keys = [sha('a'), 'plain-key', sha('b'), `${sha('c').slice(0, 63)}Z`];
      const lines = keys.map((key, number) => `${key}\t{"n":${number}}\n`);
      // A line without a tab and a last line cut by a crash are not entries.
      const path = join(folder, 'log.jsonl');
      writeFileSync(path, `${lines.join('')}no tab here\n${sha('d')}\t{"cut`);
      const fromBytes = new CacheIndex();
      const fromKeys = new Map<string, number>();
      const endBytes = scanLines(path, 0, (buffer, start, tab, _newline, offset) =>
        fromBytes.setFromBytes(buffer, start, tab, offset),
      );
      const endKeys = scanLog(path, 0, (key, offset) => fromKeys.set(key, offset));
      expect(endBytes).toBe(endKeys);
      expect(endBytes).toBe(Buffer.byteLength(`${lines.join('')}no tab here\n`));
      let offset = 0;
      keys.forEach((key, number) => {
        expect(fromBytes.get(key)).toBe(offset);
        expect(fromKeys.get(indexKey(key))).toBe(offset);
        offset += Buffer.byteLength(lines[number]!);
      });
      expect(fromBytes.get(sha('d'))).toBeUndefined();
      expect(fromBytes.size).toBe(4);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads lines longer than the scan buffer and lines cut between reads', () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-cache-index-'));
    try {
      const path = join(folder, 'log.jsonl');
      // 3 MB of lines of growing length: some cross the 1 MB reads, one is 1.5 MB long.
      const lengths = [10, 1_500_000, ...Array.from({ length: 300 }, (_, n) => 1000 + n * 37)];
      const lines = lengths.map(
        (length, number) => `${sha(String(number))}\t"${'x'.repeat(length)}"\n`,
      );
      writeFileSync(path, lines.join(''));
      const index = new CacheIndex();
      const end = scanLines(path, 0, (buffer, start, tab, _newline, offset) =>
        index.setFromBytes(buffer, start, tab, offset),
      );
      expect(end).toBe(Buffer.byteLength(lines.join('')));
      let offset = 0;
      lines.forEach((line, number) => {
        expect(index.get(sha(String(number)))).toBe(offset);
        offset += Buffer.byteLength(line);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
