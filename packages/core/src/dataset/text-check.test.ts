import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertTextFile, badBytes, magicName, textProblem } from './text-check.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('text check of a dataset file', () => {
  it('names known binary formats by their first bytes', () => {
    expect(magicName(bytes(0x1f, 0x8b, 8, 0))).toBe('a gzip archive');
    expect(magicName(bytes(0x50, 0x4b, 3, 4, 20))).toBe('a zip archive (or xlsx/docx)');
    expect(magicName(bytes(0x7f, 0x45, 0x4c, 0x46, 2))).toBe('an ELF executable');
    expect(magicName(new TextEncoder().encode('BZh91AY&SY'))).toBe('a bzip2 archive');
    // Text that merely starts like one is text: "BZh" followed by a letter.
    expect(magicName(new TextEncoder().encode('BZhello,text\n'))).toBeUndefined();
    expect(magicName(new TextEncoder().encode('id,text\n'))).toBeUndefined();
  });

  it('counts control and invalid UTF-8 bytes by hand', () => {
    // "a", NUL, "é" (2 valid bytes), a lone 0xff, an overlong "/" (0xc0 0xaf: 2 invalid), tab, ESC.
    expect(badBytes(bytes(0x61, 0x00, 0xc3, 0xa9, 0xff, 0xc0, 0xaf, 0x09, 0x1b))).toEqual({
      control: 1,
      invalid: 3,
    });
    // A sequence cut by the end of the block is not counted: the next block may finish it.
    expect(badBytes(bytes(0x61, 0xe2, 0x82))).toEqual({ control: 0, invalid: 0 });
    // A surrogate encoded in UTF-8 is invalid.
    expect(badBytes(bytes(0xed, 0xa0, 0x80))).toEqual({ control: 0, invalid: 3 });
  });

  it('text with a few bad bytes passes; over a tenth is not text; UTF-16 is named', () => {
    const text = new TextEncoder().encode(`id,text\n${'a,hello world\n'.repeat(20)}`);
    const few = Uint8Array.from([...text, 0, 0xff]);
    expect(textProblem(few)).toBeUndefined();
    const noisy = Uint8Array.from({ length: 100 }, (_, index) => (index % 5 === 0 ? 0 : 0x61));
    expect(textProblem(noisy)).toBe(
      'not a text file (the first 100 bytes have 20% NUL or control bytes)',
    );
    const latin = Uint8Array.from({ length: 100 }, (_, index) => (index % 4 === 0 ? 0xe9 : 0x61));
    expect(textProblem(latin)).toMatch(
      /^not a text file \(the first 100 bytes have 25% invalid UTF-8 bytes\); if it is text in another encoding/,
    );
    const wide = new Uint8Array(Buffer.from('id,text\na,hello\n', 'utf16le'));
    expect(textProblem(wide)).toMatch(/^not UTF-8 \(it looks like UTF-16/);
    expect(textProblem(new Uint8Array())).toBeUndefined();
  });

  it('reads only the first block of a file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-text-check-'));
    const path = join(folder, 'late.csv');
    // 70 KB of text, then binary: the first 64 KB decide.
    writeFileSync(path, Buffer.concat([Buffer.from('a'.repeat(70_000)), Buffer.alloc(70_000)]));
    await expect(assertTextFile(path)).resolves.toBeUndefined();
    const binary = join(folder, 'early.csv');
    writeFileSync(binary, Buffer.alloc(1000));
    await expect(assertTextFile(binary)).rejects.toThrow(
      `${binary}: not a text file (the first 1,000 bytes have 100% NUL or control bytes)`,
    );
    await expect(assertTextFile(folder)).rejects.toThrow(`${folder}: is a folder, not a file`);
  });
});
