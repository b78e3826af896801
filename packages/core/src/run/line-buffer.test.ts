import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineBuffer } from './line-buffer.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function fileIn(): { path: string; fd: number } {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-line-buffer-'));
  folders.push(folder);
  const path = join(folder, 'lines.jsonl');
  return { path, fd: openSync(path, 'w') };
}

describe('LineBuffer', () => {
  it('writes lines as UTF-8, each ended by a newline, growing for long and multi-byte lines', () => {
    const { path, fd } = fileIn();
    const buffer = new LineBuffer();
    // Longer than the first 256 KB, with characters of 2, 3 and 4 UTF-8 bytes.
    const lines = [
      JSON.stringify({ text: 'é€😀'.repeat(40_000) }),
      'plain',
      JSON.stringify({ text: 'x'.repeat(300_000) }),
    ];
    for (const line of lines) buffer.push(line);
    expect(buffer.count).toBe(3);
    buffer.writeTo(fd);
    expect(buffer.count).toBe(0);
    buffer.push('after');
    buffer.writeTo(fd);
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe(`${[...lines, 'after'].join('\n')}\n`);
  });

  it('drops the waiting lines with the error when the write fails', () => {
    const { fd } = fileIn();
    closeSync(fd);
    const buffer = new LineBuffer();
    buffer.push('lost');
    expect(() => buffer.writeTo(fd)).toThrow(/EBADF/);
    expect(buffer.count).toBe(0);
  });
});
