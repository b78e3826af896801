// A run over gold labels that are not text: every row is an item with its gold or a reported row,
// and a JSON number label scores as the CSV cell with the same text.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-gold-run-'));

/** Scores `data` with test/contains (1 when the text has "card", else 0) into a run folder. */
async function runOf(name: string, data: string) {
  const yaml = `name: Gold\nscores:\n  - { name: Card, class: test/contains, word: card, labels: ["1", "0"] }\n`;
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, yaml);
  const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
  const out = join(folder, name);
  const summary = await evaluate({ scorecard, data, outDir: out, cache: false });
  const read = (file: string) => readFileSync(join(out, file), 'utf8');
  return {
    summary,
    metrics: JSON.parse(read('metrics.json')).scores.Card,
    run: JSON.parse(read('run.json')),
    problems: read('dataset-errors.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  };
}

describe('a run over gold labels that are not text', () => {
  it('reports a list label as a skipped row, counted, and scores the rest', async () => {
    const data = join(folder, 'lists.jsonl');
    const rows = [
      '{"id":"a","text":"card one","label":["1"]}',
      '{"id":"b","text":"card two","label":1}',
      '{"id":"c","text":"cash","label":0}',
      '{"id":"d","text":"card three","label":{"x":1}}',
      '{"id":"e","text":"card four"}',
    ];
    writeFileSync(data, `${rows.join('\n')}\n`);
    const { metrics, run, problems } = await runOf('lists', data);
    expect(problems).toEqual([
      {
        line: 1,
        message: expect.stringContaining('has a list, not a label, in gold column "label"'),
      },
      { line: 4, message: expect.stringContaining('has an object, not a label, in gold column') },
    ]);
    expect(run.counts).toMatchObject({ items: 3, malformed_rows: 2 });
    // b and c are labelled (numbers read as "1" and "0"), e has no label: all accounted for.
    expect(metrics).toMatchObject({ n: 2, n_unlabeled: 1, accuracy: 1, labels: ['0', '1'] });
  });

  it('gives a JSON number label the metrics of the same CSV cell', async () => {
    const jsonl = join(folder, 'numbers.jsonl');
    const csv = join(folder, 'numbers.csv');
    const rows: [string, string, number][] = [
      ['a', 'card', 1],
      ['b', 'cash', 1],
      ['c', 'card', 0],
      ['d', 'cash', 0],
      ['e', 'card', 1],
    ];
    writeFileSync(
      jsonl,
      rows.map(([id, text, gold]) => JSON.stringify({ id, text, label: gold })).join('\n'),
    );
    writeFileSync(csv, `id,text,label\n${rows.map((row) => row.join(',')).join('\n')}\n`);
    const fromJson = await runOf('numbers-jsonl', jsonl);
    const fromCsv = await runOf('numbers-csv', csv);
    expect(fromJson.metrics).toMatchObject({ n: 5, accuracy: 0.6, labels: ['0', '1'] });
    expect(fromJson.metrics.confusion_matrix).toEqual(fromCsv.metrics.confusion_matrix);
    expect(fromJson.metrics.accuracy).toBe(fromCsv.metrics.accuracy);
  });
});
