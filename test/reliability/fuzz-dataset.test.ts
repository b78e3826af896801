// Fuzzed dataset files: any text in any field (quotes, commas, newlines, NUL, any Unicode),
// rows with missing or extra fields, repeated ids, invalid UTF-8, broken JSON, 10 MB fields.
// Every row ends as an item (exactly as written) or as a problem at its line; nothing else.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetProblem, readDataset } from '@plexus/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'plexus-fuzz-dataset-'));
let files = 0;

async function read(content: string | Uint8Array, extension: 'csv' | 'jsonl') {
  files += 1;
  const path = join(dir, `data-${files}.${extension}`);
  writeFileSync(path, content);
  const items: { id: string; text: string; label: string | undefined }[] = [];
  const problems: DatasetProblem[] = [];
  for await (const item of readDataset({
    path,
    gold: { Label: ['label'] },
    onProblem: (problem) => problems.push(problem),
  }))
    items.push({ id: item.id, text: item.text, label: item.labels.Label });
  return { items, problems };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.trim() !== value
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({
    unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r\n', '\u0000', 'é', '😀', '\t'),
    maxLength: 30,
  }),
);
const label = fc.constantFrom('spam', 'ham', 'SPAM ', 'n/a');
const rows = fc.array(fc.record({ text, label }), { minLength: 1, maxLength: 40 });

type Damage = 'none' | 'missing field' | 'extra field' | 'repeated id' | 'nul' | 'invalid utf-8';
const damage = fc.constantFrom<Damage>(
  'none',
  'none',
  'none',
  'missing field',
  'extra field',
  'repeated id',
  'nul',
  'invalid utf-8',
);

describe('fuzzed datasets', () => {
  it('CSV: any text round-trips exactly, quoted as a spreadsheet writes it', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.boolean(), async (generated, crlf) => {
        const newline = crlf ? '\r\n' : '\n';
        const lines = generated.map(
          (row, index) => `r${index},${csvField(row.text)},${csvField(row.label)}`,
        );
        const { items, problems } = await read(
          `id,text,label${newline}${lines.join(newline)}${newline}`,
          'csv',
        );
        expect(problems).toEqual([]);
        expect(items.map((item) => item.id)).toEqual(generated.map((_, index) => `r${index}`));
        expect(items.map((item) => item.text)).toEqual(generated.map((row) => row.text));
      }),
      { numRuns: 600, seed: 21 },
    );
  });

  it('CSV: each damaged row is a problem at its own line; every other row is read as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.record({ text, label }), damage), { minLength: 1, maxLength: 40 }),
        async (generated) => {
          const chunks: Buffer[] = [Buffer.from('id,text,label\n')];
          let line = 2;
          const expected: { id: string; text: string }[] = [];
          const badLines: number[] = [];
          // Bytes that are not UTF-8 anywhere in a read (these files are one read): each row of
          // it holding U+FFFD is a problem, as the decoder's U+FFFD cannot be told from a real one.
          const notUtf8 = generated.some(([, kind]) => kind === 'invalid utf-8');
          const replaced = (value: string) => notUtf8 && value.includes('\ufffd');
          generated.forEach(([row, kind], index) => {
            const repeated = kind === 'repeated id' && index > 0;
            const id = repeated ? 'r0' : `r${index}`;
            let body = `${id},${csvField(row.text)},${csvField(row.label)}`;
            let kept = row.text;
            if (kind === 'missing field') body = `${id},${csvField(row.text)}`;
            if (kind === 'extra field') body = `${body},extra`;
            if (kind === 'nul') {
              kept = `${row.text}\u0000`;
              body = `${id},${csvField(kept)},${csvField(row.label)}`;
            }
            const bytes = Buffer.from(`${body}\n`);
            if (kind === 'invalid utf-8') {
              const head = Buffer.from(`${id},"${row.text.replace(/"/g, '""')}`);
              chunks.push(head, Buffer.from([0xff]), Buffer.from(`",${csvField(row.label)}\n`));
            } else chunks.push(bytes);
            // A repeated id is a problem only when the row that had it first was read.
            const broken =
              kind === 'invalid utf-8' ||
              replaced(row.text) ||
              (replaced(row.label) && kind !== 'missing field') ||
              kind === 'missing field' ||
              kind === 'extra field' ||
              (repeated && expected.some((item) => item.id === 'r0'));
            if (broken) badLines.push(line);
            else expected.push({ id, text: kept });
            line += body.split('\n').length;
          });
          const { items, problems } = await read(Buffer.concat(chunks), 'csv');
          expect(problems.map((problem) => problem.line)).toEqual(badLines);
          expect(items.map(({ id, text: value }) => ({ id, text: value }))).toEqual(expected);
        },
      ),
      { numRuns: 600, seed: 22 },
    );
  });

  it('JSONL: broken lines are problems at their line; the rest is read as written', async () => {
    const line = fc.oneof(
      fc.record({ text, label }).map((row) => ({ row, broken: false as const })),
      fc
        .constantFrom(
          '{bad json',
          '["an array"]',
          '{"label": "spam"}',
          '42',
          '{"text": null}',
          '{"text": {"a": 1}}',
        )
        .map((raw) => ({ raw, broken: true as const })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (generated) => {
        const lines = generated.map((entry, index) =>
          entry.broken
            ? entry.raw
            : JSON.stringify({ id: `r${index}`, text: entry.row.text, label: entry.row.label }),
        );
        const { items, problems } = await read(`${lines.join('\n')}\n`, 'jsonl');
        expect(problems.map((problem) => problem.line)).toEqual(
          generated.flatMap((entry, index) => (entry.broken ? [index + 1] : [])),
        );
        expect(items.map((item) => item.text)).toEqual(
          generated.flatMap((entry) => (entry.broken ? [] : [entry.row.text])),
        );
      }),
      { numRuns: 600, seed: 23 },
    );
  });

  it('a 10 MB field, a quote never closed, an empty file, other encodings: read or reported, never a crash', async () => {
    const huge = 'w'.repeat(10_000_000);
    const big = await read(`id,text,label\na,"${huge}",spam\nb,short,ham\n`, 'csv');
    expect(big.items.map((item) => item.text.length)).toEqual([10_000_000, 5]);
    const unclosed = await read(
      'id,text,label\na,fine,spam\nb,"never closed,ham\nc,lost,ham\n',
      'csv',
    );
    expect(unclosed.items.map((item) => item.id)).toEqual(['a']);
    expect(unclosed.problems).toEqual([
      {
        line: 3,
        message: expect.stringMatching(
          /quote opened on line 3 is never closed; the rest of the file \(from line 3\) was not read/,
        ),
      },
    ]);
    const empty = await read('', 'csv');
    expect(empty.items).toEqual([]);
    const missingColumn = await read('id,body\na,hello\n', 'csv').catch((error: unknown) => error);
    expect((missingColumn as Error).message).toMatch(/no "text" column; columns are: id, body/);
    // Other encodings: UTF-16 is refused with the fix; a row with Latin-1 bytes is a problem.
    const utf16 = Buffer.from('\ufeffid,text\na,hello\n', 'utf16le');
    const wide = await read(utf16, 'csv').catch((error: unknown) => error);
    expect((wide as Error).message).toMatch(/not UTF-8 \(it looks like UTF-16.*save it as UTF-8/);
    const latin1 = await read(Buffer.from('id,text\na,caf\xe9\n', 'latin1'), 'csv');
    expect(latin1.items).toEqual([]);
    expect(latin1.problems).toEqual([
      { line: 2, message: expect.stringMatching(/not UTF-8 in column "text".*save it as UTF-8/) },
    ]);
  });
});
