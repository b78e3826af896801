import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eachWholeLine } from './line-reader.js';

describe('eachWholeLine', () => {
  it('gives every whole line with its offset, a line longer than its buffer too, and leaves an unfinished one', () => {
    const long = 'x'.repeat(9 * 1024 * 1024);
    const lines = [
      '{"a":1}',
      '',
      'é two bytes',
      long,
      ...Array.from({ length: 3000 }, (_, n) => `line ${n} ${'y'.repeat(n)}`),
    ];
    const text = `${lines.join('\n')}\nunfinished`;
    const path = join(mkdtempSync(join(tmpdir(), 'plexus-lines-')), 'results.jsonl');
    writeFileSync(path, text);
    const bytes = Buffer.from(text);
    const seen: { line: string; offset: number }[] = [];
    const fd = openSync(path, 'r');
    let done: number;
    try {
      done = eachWholeLine(fd, 0, bytes.length, (buffer, start, end, offset) => {
        seen.push({ line: buffer.toString('utf8', start, end), offset });
      });
    } finally {
      closeSync(fd);
    }
    // Empty lines are not given; each offset is where the line starts in the file.
    const expected = lines.filter((line) => line !== '');
    expect(seen.map((entry) => entry.line)).toEqual(expected);
    for (const { line, offset } of seen)
      expect(bytes.toString('utf8', offset, offset + Buffer.byteLength(line))).toBe(line);
    expect(done).toBe(bytes.length - 'unfinished'.length);
  });
});
