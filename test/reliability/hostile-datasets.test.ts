// Hostile datasets (issue 22): a 20 MB line, binary files given as CSV or JSONL, a Parquet file
// with a corrupt row group, and escape codes in headers, ids and score names. Each is read in
// linear time, refused with a printable reason, skipped and reported, or printed escaped.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type DatasetProblem, readDataset } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { runCli, storedResults, workDir } from './harness.js';

const dir = workDir('hostile-datasets');
const card = join(dir, 'card.yaml');
writeFileSync(
  card,
  'name: Hostile\nscores:\n  - { name: Greeting, class: heuristic/keywords, labels: [yes, no], phrases: [hello] }\n',
);

/** Terminal controls: C0 but tab and newline, DEL, C1 (the progress line's leading \r aside). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the test
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

async function readAll(path: string) {
  const problems: DatasetProblem[] = [];
  const items: { id: string; text: string; line: number }[] = [];
  for await (const item of readDataset({ path, onProblem: (problem) => problems.push(problem) }))
    items.push({ id: item.id, text: item.text, line: item.line });
  return { items, problems };
}

/** Seconds to read a file and `JSON.parse` a document of the same size: the yardstick. */
function parseSeconds(path: string, json: string): number {
  const started = performance.now();
  readFileSync(path, 'utf8');
  JSON.parse(json);
  return (performance.now() - started) / 1000;
}

async function timed<T>(task: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await task();
  return { value, seconds: (performance.now() - started) / 1000 };
}

describe('a 20 MB field', () => {
  // 20 MB in 64 KB chunks: re-scanning the field per chunk is ~300 passes over up to 20 MB (before:
  // 5 MB took 17 s and 10 MB 135 s as CSV). Speed against JSON.parse is in bench/long-line.mjs.
  const size = 20_000_000;
  const field = `${'a "quoted" word, and a newline\n'.repeat(Math.ceil(size / 31))}`.slice(0, size);

  it('CSV: read whole, quotes and newlines kept, in linear time', async () => {
    const path = join(dir, 'long.csv');
    writeFileSync(path, `id,text\nbig,"${field.replace(/"/g, '""')}"\nsmall,after\n`);
    const { value, seconds } = await timed(() => readAll(path));
    expect(value.items.map((item) => [item.id, item.text.length])).toEqual([
      ['big', size],
      ['small', 5],
    ]);
    expect(value.items[0]!.text === field).toBe(true);
    // The next record starts on the line after the field's newlines.
    expect(value.items[1]!.line).toBe(2 + field.split('\n').length);
    // Linear: a small multiple of reading and parsing the same bytes (bench: about 1x; before, 20 MB
    // took minutes). The margin is for a shared machine; the 3x target is checked in the bench.
    const yardstick = parseSeconds(path, JSON.stringify({ id: 'big', text: field }));
    expect(seconds).toBeLessThan(10 * yardstick + 2);
  }, 60_000);

  it('JSONL: read whole in linear time', async () => {
    const path = join(dir, 'long.jsonl');
    writeFileSync(
      path,
      `${JSON.stringify({ id: 'big', text: field })}\r\n${JSON.stringify({ id: 'small', text: 'after' })}\n`,
    );
    const { value, seconds } = await timed(() => readAll(path));
    expect(value.items.map((item) => [item.id, item.text.length, item.line])).toEqual([
      ['big', size, 1],
      ['small', 5, 2],
    ]);
    expect(value.problems).toEqual([]);
    // Before: about 25 s for 20 MB (one rescan of the line per 64 KB chunk).
    expect(seconds).toBeLessThan(
      10 * parseSeconds(path, readFileSync(path, 'utf8').split('\r\n')[0]!) + 2,
    );
  }, 60_000);
});

describe('files that are not text', () => {
  const random = Buffer.alloc(20_000);
  let state = 22;
  for (let index = 0; index < random.length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    random[index] = state >> 16;
  }
  const cases: [string, Buffer, RegExp][] = [
    [
      'random.jsonl',
      random,
      /the first 20,000 bytes have \d+% NUL or control bytes and \d+% invalid UTF-8/,
    ],
    ['random.csv', random, /the first 20,000 bytes have/],
    ['packed.jsonl', gzipSync('{"id":"a","text":"hello"}\n'), /it looks like a gzip archive/],
    [
      'image.csv',
      Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), random]),
      /it looks like a PNG image/,
    ],
    [
      'latin1.csv',
      Buffer.from(`id,text\n${'a,été à côté\n'.repeat(50)}`, 'latin1'),
      /invalid UTF-8 bytes\); if it is text in another encoding/,
    ],
  ];

  it.each(cases)(
    '%s: exit 2, "not a text file", a printable reason, no run',
    async (name, bytes, reason) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const out = join(dir, `run-${name}`);
      const { code, stdout, stderr } = await runCli([
        'evaluate',
        card,
        '--data',
        path,
        '--out',
        out,
      ]);
      expect(code, stderr).toBe(2);
      expect(stderr).toContain(`${path}: not a text file (`);
      expect(stderr).toMatch(reason);
      expect(`${stdout}${stderr}`).not.toMatch(control);
      expect(storedResults(out)).toEqual([]);
    },
  );

  it('a text file with a NUL and an invalid byte in one row each is read row by row', async () => {
    const path = join(dir, 'mostly-text.csv');
    const rows = Array.from({ length: 30 }, (_, index) => `r${index},hello number ${index}\n`);
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`id,text\n${rows.join('')}nul,hello\u0000there\n`),
        Buffer.from('bad,caf'),
        Buffer.from([0xff]),
        Buffer.from('\n'),
      ]),
    );
    const { items, problems } = await readAll(path);
    // The NUL is text; the byte that is not UTF-8 makes its row a problem, not "caf\uFFFD".
    expect(problems).toEqual([{ line: 33, message: expect.stringMatching(/not UTF-8/) }]);
    expect(items.slice(-1).map((item) => [item.id, item.text])).toEqual([
      ['nul', 'hello\u0000there'],
    ]);
    const { code, stdout, stderr } = await runCli([
      'evaluate',
      card,
      '--data',
      path,
      '--out',
      join(dir, 'run-mostly'),
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/31 items/);
  });
});

// The Parquet writer and reader are core's own dependencies, used here from core's folder.
interface ParquetWriter {
  parquetWriteFile: (options: {
    filename: string;
    columnData: { name: string; data: string[]; type: 'STRING' }[];
    rowGroupSize: number;
  }) => void;
}
interface ParquetReader {
  parquetMetadata: (buffer: ArrayBuffer) => {
    row_groups: {
      columns: { meta_data?: { data_page_offset: bigint; total_compressed_size: bigint } }[];
    }[];
  };
}
const coreModules = new URL('../../packages/core/node_modules/', import.meta.url);

/** 300 rows in 3 row groups of 100; the text column's pages of group 2 overwritten with 0xff. */
async function corruptParquet(path: string): Promise<void> {
  const writer = (await import(
    new URL('hyparquet-writer/src/node.js', coreModules).href
  )) as ParquetWriter;
  const reader = (await import(
    new URL('hyparquet/src/node.js', coreModules).href
  )) as ParquetReader;
  const ids = Array.from({ length: 300 }, (_, index) => `p${index + 1}`);
  writer.parquetWriteFile({
    filename: path,
    columnData: [
      { name: 'id', data: ids, type: 'STRING' },
      { name: 'text', data: ids.map((id) => `hello from row ${id}, `.repeat(4)), type: 'STRING' },
    ],
    rowGroupSize: 100,
  });
  const bytes = readFileSync(path);
  const metadata = reader.parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  const column = metadata.row_groups[1]!.columns[1]!.meta_data!;
  const start = Number(column.data_page_offset);
  const length = Number(column.total_compressed_size);
  bytes.fill(0xff, start + Math.floor(length / 2), start + length - 4);
  writeFileSync(path, bytes);
}

describe('Parquet with a corrupt row group', () => {
  it('the group is reported by file, group and rows; the other groups are scored; resume does the same', async () => {
    const path = join(dir, 'corrupt.parquet');
    await corruptParquet(path);
    const out = join(dir, 'run-parquet');
    const first = await runCli(['evaluate', card, '--data', path, '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `${path}:101: row skipped: row group 2 of 3 (rows 101-200) of ${path} cannot be decoded (`,
    );
    expect(first.stdout).toMatch(/200 items, 200 results, 0 errors, 100 rows skipped/);
    const scored = storedResults(out).map((result) => Number(result.item.slice(1)));
    expect(scored.toSorted((a, b) => a - b)).toEqual([
      ...Array.from({ length: 100 }, (_, index) => index + 1),
      ...Array.from({ length: 100 }, (_, index) => index + 201),
    ]);
    const problems = readFileSync(join(out, 'dataset-errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as DatasetProblem);
    expect(problems.map((problem) => problem.line)).toEqual(
      Array.from({ length: 100 }, (_, index) => index + 101),
    );
    expect(problems[0]).toMatchObject({ file: path, row_group: 2, row_range: [101, 200] });
    const resumed = await runCli(['evaluate', card, '--data', path, '--resume', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/200 items, 200 results, 0 errors, 100 rows skipped/);
    expect(storedResults(out)).toHaveLength(200);
  });
});

describe('escape codes in data are printed escaped', () => {
  const title = '\u001b]0;pwned\u0007';
  const clear = '\u001b[2J\u009b2J';

  async function printed(args: string[]) {
    const { code, stdout, stderr } = await runCli(args);
    expect(`${stdout}${stderr}`).not.toMatch(control);
    return { code, stdout, stderr };
  }

  it('a header: the missing-column message shows the names with \\u001b escapes', async () => {
    const path = join(dir, 'header.csv');
    writeFileSync(path, `id,${title}body${clear}\nx,hello\n`);
    const { code, stderr } = await printed([
      'evaluate',
      card,
      '--data',
      path,
      '--out',
      join(dir, 'run-header'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('columns are: id, \\u001b]0;pwned\\u0007body\\u001b[2J\\u009b2J');
  });

  it('ids in skipped-row messages, and a score name in the summary table', async () => {
    const path = join(dir, 'ids.csv');
    writeFileSync(path, `id,text\n${clear}x,hello\n${clear}x,hello again\ny,bye\n`);
    const named = join(dir, 'named.yaml');
    writeFileSync(
      named,
      'name: Hostile\nscores:\n  - { name: "G\\e]0;pwned\\a", class: heuristic/keywords, labels: [yes, no], phrases: [hello] }\n',
    );
    const out = join(dir, 'run-ids');
    const { code, stdout, stderr } = await printed([
      'evaluate',
      named,
      '--data',
      path,
      '--out',
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('row skipped: repeats id "\\u001b[2J\\u009b2Jx"');
    // The name whole (wrapped in its column), its controls escaped.
    expect(stdout).toMatch(/^G\\u001b]0;pwned\\/m);
    // The files keep the data as it was: JSON with the characters escaped its own way.
    const stored = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n')[0]!);
    expect(stored.item_id).toBe(`${clear}x`);
    // --json on stdout is still JSON with the same values.
    const json = await printed([
      'evaluate',
      named,
      '--data',
      path,
      '--out',
      `${out}-json`,
      '--json',
    ]);
    expect(Object.keys(JSON.parse(json.stdout).scores)).toEqual(['G\u001b]0;pwned\u0007']);
  });

  it('validate: a setting named with escape codes', async () => {
    const bad = join(dir, 'bad-setting.yaml');
    writeFileSync(
      bad,
      'name: Hostile\nscores:\n  - { name: A, class: heuristic/keywords, labels: [yes, no], phrases: [hi], "\\e[2Jx": 1 }\n',
    );
    const { code, stderr } = await printed(['validate', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown setting "\\u001b[2Jx"');
  });
});
