import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameRecord } from '../text/name-records.js';
import { type CsvEvent, CsvParser } from './csv-parser.js';
import {
  type DatasetItem,
  type DatasetProblem,
  itemReader,
  readDataset,
  readDatasetBatches,
} from './dataset.js';
import { seededRandom } from './sampling.js';
import { badBytes } from './text-check.js';
import { LineSplitter } from './text-lines.js';

// The readers' fast paths (indexOf over whole lines) against independent readings of the same
// text: a regular expression split for lines, the CSV state machine fed one character at a time
// (which never sees a whole line, so never takes the fast path), on seeded random texts.

/** Random text over `alphabet`, `length` characters. */
function randomText(random: () => number, alphabet: readonly string[], length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1)
    text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

/** Random cut points: chunks of 1 to `largest` characters. */
function chunksOf(text: string, random: () => number, largest: number): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < text.length; ) {
    const size = 1 + Math.floor(random() * largest);
    chunks.push(text.slice(start, start + size));
    start += size;
  }
  return chunks;
}

function splitLines(chunks: readonly string[]): [string, number][] {
  const splitter = new LineSplitter();
  const lines: [string, number][] = [];
  const take = (text: string, line: number) => lines.push([text, line]);
  for (const chunk of chunks) splitter.push(chunk, take);
  splitter.end(take);
  return lines;
}

/** Every line of a split at \r\n, \n or \r, numbered; an empty last piece is no line. */
function referenceLines(text: string): [string, number][] {
  const pieces = text.split(/\r\n|\n|\r/);
  if (pieces.at(-1) === '') pieces.pop();
  return pieces.map((piece, index) => [piece, index + 1]);
}

function parseCsv(chunks: readonly string[]): CsvEvent[] {
  const parser = new CsvParser();
  const events: CsvEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return events;
}

describe('LineSplitter', () => {
  it('finds the lines a regular expression split finds, however the text is cut', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 300; round += 1) {
      const text = randomText(random, ['a', 'b', '{', ' ', '\n', '\r', '\r\n'], 1 + (round % 60));
      const expected = referenceLines(text);
      expect(splitLines([text]), JSON.stringify(text)).toEqual(expected);
      expect(splitLines(chunksOf(text, random, 5)), JSON.stringify(text)).toEqual(expected);
      expect(splitLines([...text]), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('joins a line spanning many chunks once and numbers the lines after it', () => {
    const long = 'x'.repeat(10_000);
    const chunks = chunksOf(`a\r\n${long}\r\nb\rc\n`, seededRandom(3), 700);
    expect(splitLines(chunks)).toEqual([
      ['a', 1],
      [long, 2],
      ['b', 3],
      ['c', 4],
    ]);
  });
});

describe('CsvParser fast path', () => {
  it('reads plain lines as the character-at-a-time parser does', () => {
    const random = seededRandom(11);
    const alphabet = ['a', 'b', ',', ',', '"', ' ', '\n', '\n', '\r\n', '\r', '\uFEFF'];
    for (let round = 0; round < 400; round += 1) {
      const text = randomText(random, alphabet, 1 + (round % 80));
      const expected = parseCsv([...text]);
      expect(parseCsv([text]), JSON.stringify(text)).toEqual(expected);
      expect(parseCsv(chunksOf(text, random, 9)), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('reads unquoted CRLF and LF lines with their fields and line numbers', () => {
    expect(parseCsv(['id,text\r\n1,a b\r\n\r\n2,\n3,c,d'])).toEqual([
      { kind: 'record', line: 1, fields: ['id', 'text'] },
      { kind: 'record', line: 2, fields: ['1', 'a b'] },
      { kind: 'record', line: 4, fields: ['2', ''] },
      { kind: 'record', line: 5, fields: ['3', 'c', 'd'] },
    ]);
  });
});

async function readAll(path: string, batches: boolean) {
  const problems: DatasetProblem[] = [];
  const items: DatasetItem[] = [];
  const options = { path, onProblem: (problem: DatasetProblem) => problems.push(problem) };
  if (batches) for await (const batch of readDatasetBatches(options)) items.push(...batch);
  else for await (const item of readDataset(options)) items.push(item);
  return { items, problems };
}

describe('badBytes fast path', () => {
  it('counts as the byte loop does: each control byte, wherever the text is valid UTF-8', () => {
    const random = seededRandom(5);
    const pieces = [
      'a',
      ' ',
      '\n',
      '\t',
      '\r',
      '\u001b',
      'é',
      '日',
      '😀',
      '\u0000',
      '\u0007',
      '\u001f',
    ];
    const controls = new Set([0, 7, 31]);
    for (let round = 0; round < 200; round += 1) {
      const text = randomText(random, pieces, round % 50);
      const block = new TextEncoder().encode(text);
      const control = [...block].filter((byte) => controls.has(byte)).length;
      expect(badBytes(block), JSON.stringify(text)).toEqual({ control, invalid: 0 });
      // The same bytes inside a larger buffer (a subarray, as a file's first block is).
      const framed = new Uint8Array(block.length + 4);
      framed.set(block, 2);
      expect(badBytes(framed.subarray(2, 2 + block.length))).toEqual({ control, invalid: 0 });
    }
  });
});

describe('reading in 64 KiB pieces', () => {
  it('keeps a character whose UTF-8 bytes straddle two pieces whole, in JSONL and CSV', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-pieces-'));
    for (const offset of [0, 1, 2]) {
      // The 3-byte 日 starts 3, 2 or 1 bytes before the first 64 KiB boundary (ends at it, or straddles it).
      const head = '{"id":"a","text":"';
      const pad = 'x'.repeat(65_536 - head.length - 3 + offset);
      const text = `${pad}日本 ü`;
      const jsonl = join(folder, `split-${offset}.jsonl`);
      writeFileSync(jsonl, `${head}${text}"}\n{"id":"b","text":"日"}\n`);
      const csv = join(folder, `split-${offset}.csv`);
      writeFileSync(csv, `id,text\nb,${'y'.repeat(65_536 - 13 + offset)}日本\nc,ü\n`);
      const fromJsonl = await readAll(jsonl, true);
      expect(fromJsonl.items.map((item) => item.text)).toEqual([text, '日']);
      const fromCsv = await readAll(csv, true);
      expect(fromCsv.items.map((item) => item.text)).toEqual([
        `${'y'.repeat(65_536 - 13 + offset)}日本`,
        'ü',
      ]);
      expect([...fromJsonl.problems, ...fromCsv.problems]).toEqual([]);
    }
  });
});

describe('itemReader', () => {
  it('keeps labels of scores named __proto__, constructor and toString as data, inheriting none', () => {
    const gold = nameRecord<string[]>();
    for (const [score, column] of [
      ['__proto__', 'label'],
      ['constructor', 'c'],
      ['toString', 't'],
      ['Missing', 'absent'],
    ] as const)
      gold[score] = [column];
    const read = itemReader({ idColumn: 'id', textColumn: 'text', gold });
    const item = read(JSON.parse('{"id":"1","text":"x","label":"L","c":"C","t":" ","k":1}'), 1, 1);
    if ('message' in item) throw new Error(item.message);
    expect(Object.entries(item.labels)).toEqual([
      ['__proto__', 'L'],
      ['constructor', 'C'],
    ]);
    // A blank label is none; nothing is inherited: not `toString`, not a prototype's `constructor`.
    const bare = read(JSON.parse('{"id":"2","text":"y"}'), 2, 2);
    if ('message' in bare) throw new Error(bare.message);
    expect([bare.labels.toString, bare.labels.constructor, 'toString' in bare.labels]).toEqual([
      undefined,
      undefined,
      false,
    ]);
    // A `__proto__` column is metadata like any other: an own key, the prototype unchanged.
    const odd = read(JSON.parse('{"id":"3","text":"z","__proto__":{"polluted":1}}'), 3, 3);
    if ('message' in odd) throw new Error(odd.message);
    expect(Object.entries(odd.metadata)).toEqual([['__proto__', { polluted: 1 }]]);
    expect([Object.getPrototypeOf(odd.metadata), 'polluted' in odd.metadata]).toEqual([
      Object.prototype,
      false,
    ]);
    expect(JSON.stringify(item)).toBe(
      '{"id":"1","text":"x","metadata":{"label":"L","c":"C","t":" ","k":1},"labels":{"__proto__":"L","constructor":"C"},"line":1}',
    );
  });
});

describe('readDatasetBatches', () => {
  it('gives the items and problems readDataset gives, a batch per chunk read', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-batches-'));
    const path = join(folder, 'items.csv');
    const rows = Array.from({ length: 30_000 }, (_, index) =>
      index % 1000 === 7 ? `r${index - 1},repeated` : `r${index},"text, ${index}",${index % 3}`,
    );
    writeFileSync(path, `id,text,group\n${rows.join('\n')}\n`);
    const single = await readAll(path, false);
    const batched = await readAll(path, true);
    expect(batched).toEqual(single);
    expect(single.items.length).toBe(30_000 - 30);
    // Each repeated row is one problem: its id repeats and it has a field fewer than the header.
    expect(single.problems).toHaveLength(30);
    expect(single.items[1]).toEqual({
      id: 'r1',
      text: 'text, 1',
      metadata: { group: '1' },
      labels: {},
      line: 3,
    });
  });
});
