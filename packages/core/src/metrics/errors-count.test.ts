import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReportData } from '../report/report-data.js';
import { evaluate } from '../run/evaluate.js';
import type { ResultLine } from '../run/result-line.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { RunMetrics } from './run-metrics.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-errors-count-'));

// Card answers `yes` when the text says "card", `no` otherwise, and fails on "boom".
// The score compares labels case-sensitively, so gold `Yes` against `yes` is wrong.
const rows: [id: string, text: string, gold: string][] = [
  ['i0', 'lost card', 'Yes'], // wrong: case differs
  ['i1', 'lost card', 'yes'],
  ['i2', 'my card', 'yes'],
  ['i3', 'card please', 'yes'],
  ['i4', 'card', 'yes'],
  ['i5', 'card', 'no'], // wrong
  ['i6', 'hello', 'no'],
  ['i7', 'hi', 'no'],
  ['i8', 'hey', 'yes'], // wrong
  ['i9', 'hello again', 'no'],
  ['i10', 'boom card', 'yes'], // error
  ['i11', 'boom', 'no'], // error
];
// Hand count: 12 items due an answer, 10 answered, 2 errors; 7 answers right (i1-i4, i6, i7, i9).
const expected = { answered: 10, due: 12, correct: 7, wrong: ['i0', 'i5', 'i8'] };

let ran: ReturnType<typeof scoreOnce> | undefined;
/** The run of the case, scored once for every test. */
function runCase() {
  ran ??= scoreOnce();
  return ran;
}

async function scoreOnce() {
  const data = join(folder, 'data.csv');
  writeFileSync(data, `id,text,Card\n${rows.map((row) => row.join(',')).join('\n')}\n`);
  const yaml = `name: Cards
scores:
  - name: Card
    class: test/contains
    word: card
    throw_on: boom
    batch_size: 1
    normalize_labels: { case: false }
`;
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  const scorecard = await parseScorecard(yaml, { file, plugins: [testPlugin], cacheDir: folder });
  const out = join(folder, 'run');
  const summary = await evaluate({ scorecard, data, outDir: out, cache: false });
  return { summary, out };
}

describe('errors count and correct is decided once', () => {
  it('adds coverage and accuracy counting errors, against a hand count', async () => {
    const { summary, out } = await runCase();
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).scores.Card;
    expect(metrics).toMatchObject({ n: 10, n_errors: 2, n_skipped: 0 });
    expect(metrics.accuracy).toBeCloseTo(expected.correct / expected.answered, 12);
    expect(metrics.coverage).toBeCloseTo(expected.answered / expected.due, 12);
    expect(metrics.accuracy_counting_errors).toBeCloseTo(expected.correct / expected.due, 12);
    expect(summary.scores.Card).toMatchObject({
      coverage: metrics.coverage,
      accuracy_counting_errors: metrics.accuracy_counting_errors,
    });
    const matrix: number[][] = metrics.confusion_matrix.matrix;
    const diagonal = matrix.reduce((sum, row, index) => sum + row[index]!, 0);
    expect(diagonal).toBe(expected.correct);
  });

  it('lists gold Yes against yes as misclassified when the score compares case (issue 30)', async () => {
    const { out } = await runCase();
    const stored = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as ResultLine);
    expect(stored.find((line) => line.item_id === 'i0')).toMatchObject({
      value: 'yes',
      label: 'Yes',
      correct: false,
    });
    // The rows collected while the run was scored (embedded in report.html) ...
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<div class="name">coverage</div><div class="value">0.833</div>');
    expect(html).toContain(
      '<div class="name">accuracy counting errors</div><div class="value">0.583</div>',
    );
    const fromRun = [
      ...html.matchAll(/data-kind="(misclassified|error)" data-item="([^"]*)"/g),
    ].map(([, kind, item]) => ({ item: item!, kind: kind! }));
    // ... and those read back from the folder list the same items as results.jsonl judged wrong.
    const fromFolder = (await readReportData(out)).rows;
    for (const listed of [fromRun, fromFolder]) {
      const misclassified = listed.filter((row) => row.kind === 'misclassified');
      expect(misclassified.map((row) => row.item).sort()).toEqual(expected.wrong);
      expect(listed.filter((row) => row.kind === 'error').map((row) => row.item)).toEqual(
        expect.arrayContaining(['i10', 'i11']),
      );
    }
  });

  it('reads correct from the line, whatever normalisation the reader was given', async () => {
    const { out } = await runCase();
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as ResultLine);
    // Default normalisation (case-insensitive) would fold Yes into yes and call i0 right.
    const metrics = new RunMetrics([{ name: 'Card' }]);
    for (const line of lines) metrics.add(line);
    const card = metrics.finish().Card!;
    expect(card.accuracy).toBeCloseTo(expected.correct / expected.answered, 12);
    expect(card.accuracy_counting_errors).toBeCloseTo(expected.correct / expected.due, 12);
  });
});
