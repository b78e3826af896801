import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../run/evaluate.js';
import type { ResultLine } from '../run/result-line.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import type { PluginV1 } from '../spec/score-spec.js';
import { findChromium } from './find-chromium.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-report-rows-'));

// Answers the item's `guess` column; `FAIL` is an error.
const guessPlugin: PluginV1 = {
  specificationVersion: 'v1',
  name: 'rows',
  factories: [
    {
      specificationVersion: 'v1',
      kind: 'guess',
      settingsSchema: { safeParse: (value: unknown) => ({ success: true, data: value }) } as never,
      create: (_settings, env) => ({
        specificationVersion: 'v1',
        kind: 'rows/guess',
        name: env.name,
        labels: env.labels,
        fingerprint: 'rows',
        maxBatchSize: 64,
        async doScore({ items }) {
          return items.map((item) =>
            item.metadata.guess === 'FAIL' || env.name === 'Broken'
              ? { value: null, status: 'error' as const, error: { message: 'failed' } }
              : {
                  value: String(item.metadata.guess),
                  status: 'ok' as const,
                  explanation: 'as told',
                },
          );
        },
      }),
    },
  ],
};

// 80 items, two scores: Intent (gold: 58 right, 20 wrong, 2 errors) and Free (no gold).
const items = Array.from({ length: 80 }, (_, index) => ({
  id: `i${index}`,
  gold: index % 2 ? 'yes' : 'no',
  guess: index < 2 ? 'FAIL' : index < 22 ? (index % 2 ? 'no' : 'yes') : index % 2 ? 'yes' : 'no',
}));

/** Item i3 (misclassified: listed) has an accent written as a combining character (NFD). */
const textOf = (id: string) => `text ${id}${id === 'i3' ? ' cafe\u0301' : ''}`;

let browser: Browser;
let dir: string;
let lines: ResultLine[];

beforeAll(async () => {
  const data = join(folder, 'data.csv');
  writeFileSync(
    data,
    `id,text,guess,Intent\n${items.map((item) => `${item.id},${textOf(item.id)},${item.guess},${item.gold}`).join('\n')}\nshort,row\n`,
  );
  const file = join(folder, 'card.yaml');
  const source = `name: Rows\nscores:\n  - { name: Intent, class: rows/guess, labels: ["yes", "no"] }\n  - { name: Free, class: rows/guess, labels: ["yes", "no"], label_column: none_such }\n`;
  writeFileSync(file, source);
  const scorecard = await parseScorecard(source, {
    file,
    plugins: [guessPlugin],
    cacheDir: folder,
  });
  const summary = await evaluate({ scorecard, data, outDir: join(folder, 'run'), cache: false });
  dir = summary.dir;
  lines = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('report.html counts the rows it lists', () => {
  it('names in its navigation why a score has no accuracy: every answer failed', async () => {
    const source = `name: Broken\nscores:\n  - { name: Intent, class: rows/guess, labels: ["yes", "no"] }\n  - { name: Broken, class: rows/guess, labels: ["yes", "no"], label_column: Intent }\n`;
    const file = join(folder, 'broken.yaml');
    writeFileSync(file, source);
    const scorecard = await parseScorecard(source, {
      file,
      plugins: [guessPlugin],
      cacheDir: folder,
    });
    const run = await evaluate({
      scorecard,
      data: join(folder, 'data.csv'),
      outDir: join(folder, 'broken'),
      cache: false,
    });
    const page = await browser.newPage();
    await page.goto(`file://${join(run.dir, 'report.html')}`);
    // By hand: Broken failed on all 80 items; Intent's accuracy is 58 of 78.
    expect(await page.locator('nav.toc a[href="#score-1"] .value').textContent()).toBe('80 err.');
    expect(await page.locator('nav.toc a[href="#score-0"] .value').textContent()).toBe(
      (58 / 78).toFixed(2),
    );
  });

  it('says rows, not items, and their number by hand', async () => {
    // By hand: Intent lists its 20 wrong and 2 failed items and a sample of 50 of its 58 right
    // ones; Free (no gold) a sample of 50 of its 78 answers and its 2 errors.
    const intent = lines.filter((line) => line.score === 'Intent');
    const wrong = intent.filter((line) => line.correct === false).length;
    const failed = lines.filter((line) => line.status === 'error').length;
    expect([wrong, failed]).toEqual([20, 4]);
    const rows = wrong + failed + 50 + 50;
    const page = await browser.newPage();
    await page.goto(`file://${join(dir, 'report.html')}`);
    expect(await page.locator('#items-count').textContent()).toBe(
      `${rows} of ${rows} rows shown (an item has a row in each score that lists it)`,
    );
    // A text written with a combining accent (NFD) is found by the accent typed as one character.
    expect(textOf('i3').includes('café')).toBe(false);
    await page.fill('#filter-text', 'CAFÉ');
    const rowsOfI3 = await page.locator('tr.item[data-item="i3"]').count();
    expect(rowsOfI3).toBeGreaterThan(0);
    expect(await page.locator('#items-count').textContent()).toBe(
      `${rowsOfI3} of ${rows} rows shown (an item has a row in each score that lists it)`,
    );
    const shownItems = await page
      .locator('tr.item:not(.hidden)')
      .evaluateAll((found) => found.map((row) => row.getAttribute('data-item')));
    expect(new Set(shownItems)).toEqual(new Set(['i3']));
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-kind', 'error');
    expect(await page.locator('#items-count').textContent()).toBe(
      `${failed} of ${rows} rows shown (an item has a row in each score that lists it)`,
    );
    // The header's items are the run's, not the rows; the dataset row not read is said apart
    // from the results skipped (1: "short,row"; its reason in dataset-errors.jsonl).
    const meta = await page.locator('header .meta').textContent();
    expect(meta).toContain(`items: ${items.length}`);
    expect(readFileSync(join(dir, 'dataset-errors.jsonl'), 'utf8').trim().split('\n').length).toBe(
      1,
    );
    expect(meta).toContain('dataset rows not read: 1 (why: dataset-errors.jsonl)');
  });

  it('says how many results came from the cache, and why their latency is not shown', async () => {
    // The same run twice with a result cache (no errors: they are not cached): the second one's
    // answers all come from it.
    const data = join(folder, 'answered.csv');
    writeFileSync(
      data,
      `id,text,guess,Intent\n${items.map((item) => `${item.id},text ${item.id},${item.gold},${item.gold}`).join('\n')}\n`,
    );
    const source = `name: Rows\nscores:\n  - { name: Intent, class: rows/guess, labels: ["yes", "no"] }\n`;
    const file = join(folder, 'cached.yaml');
    writeFileSync(file, source);
    const run = async (name: string) => {
      const scorecard = await parseScorecard(source, {
        file,
        plugins: [guessPlugin],
        cacheDir: join(folder, 'cache'),
      });
      return evaluate({
        scorecard,
        data,
        outDir: join(folder, name),
        cacheDir: join(folder, 'cache'),
      });
    };
    await run('first');
    const second = await run('second');
    const cached = readFileSync(join(second.dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter((line) => (JSON.parse(line) as ResultLine).cached).length;
    // By hand: every answer came from the cache.
    expect(cached).toBe(items.length);
    const page = await browser.newPage();
    await page.goto(`file://${join(second.dir, 'report.html')}`);
    expect(await page.locator('header .meta').textContent()).toContain(
      `from the cache: ${cached} of ${items.length} results`,
    );
    const latency = page.locator('#score-0 .card', { hasText: 'mean latency' });
    expect(await latency.locator('.value').textContent()).toBe('—');
    expect(await latency.locator('.note').textContent()).toBe(
      'none timed: answers from the cache, skipped and disabled results take no time here',
    );
  });
});
