import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvParser } from '../dataset/csv-parser.js';
import { seededRandom } from '../dataset/sampling.js';
import { evaluate } from '../run/evaluate.js';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import type { PluginV1 } from '../spec/score-spec.js';
import { findChromium } from './find-chromium.js';
import { writeReport } from './write-report.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-report-'));
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

// A score that answers with the item's `guess` column and quotes the item text in its
// explanation, as LLM scores do: the report must show hostile text as text. Its trace has a
// keywords-like hit on the item's first word and an LLM-like call whose prompt quotes the text.
const echoPlugin: PluginV1 = {
  specificationVersion: 'v1',
  name: 'echo',
  factories: [
    {
      specificationVersion: 'v1',
      kind: 'guess',
      settingsSchema: { safeParse: (value: unknown) => ({ success: true, data: value }) } as never,
      create: (_settings, env) => ({
        specificationVersion: 'v1',
        kind: 'echo/guess',
        name: env.name,
        labels: env.labels,
        fingerprint: 'echo',
        maxBatchSize: 64,
        async doScore({ items }) {
          return items.map((item) => {
            if (item.metadata.guess === 'FAIL')
              return {
                value: null,
                status: 'error' as const,
                error: { message: `failed on ${item.text}` },
              };
            const first = item.text.split(' ')[0]!;
            return {
              value: String(item.metadata.guess),
              status: 'ok' as const,
              confidence: 0.75,
              explanation: item.text.startsWith('json')
                ? JSON.stringify({ reasoning: `because ${item.text}`, evidence: ['<i>x</i>'] })
                : `The text says: ${item.text}`,
              trace: {
                hits: [{ phrase: first, matched: first, turn: 0, start: 0 }],
                prompts: [
                  {
                    messages: [{ role: 'user', content: `Classify: ${item.text}` }],
                    answer: `{"label": "${String(item.metadata.guess)}"} <b>raw</b>`,
                  },
                ],
              },
            };
          });
        },
      }),
    },
  ],
};

function csvField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

let runs = 0;

async function runFolder(
  name: string,
  labels: string[],
  rows: { text: string; gold: string; guess: string }[],
  extraScores = '',
) {
  runs += 1;
  const data = join(folder, `data-${runs}.csv`);
  writeFileSync(
    data,
    `id,text,guess,Intent\n${rows.map((row, index) => [`item-${index}`, csvField(row.text), csvField(row.guess), csvField(row.gold)].join(',')).join('\n')}\n`,
  );
  const file = join(folder, `card-${runs}.yaml`);
  const source = `name: ${JSON.stringify(name)}\nscores:\n  - name: Intent\n    class: echo/guess\n    labels: ${JSON.stringify(labels)}\n${extraScores}`;
  writeFileSync(file, source);
  const scorecard = await parseScorecard(source, { file, plugins: [echoPlugin], cacheDir: folder });
  return evaluate({ scorecard, data, outDir: join(folder, `run-${runs}`), cache: false });
}

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

async function open(path: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:') && !request.url().startsWith('data:'))
      problems.push(`network: ${request.url()}`);
  });
  await page.goto(`file://${path}`);
  return { page, problems };
}

const hostile = [
  {
    text: 'Hello <script>window.__pwned = "script"</script>',
    gold: 'greeting',
    guess: 'complaint',
  },
  {
    text: 'Look <img src=x onerror="window.__pwned = \'img\'">',
    gold: 'complaint',
    guess: 'greeting',
  },
  {
    text: '</script><script>window.__pwned = "breakout"</script>',
    gold: 'greeting',
    guess: 'greeting',
  },
  { text: 'card lost', gold: 'card', guess: 'card' },
  { text: 'crash <b>bold</b>', gold: 'card', guess: 'FAIL' },
  { text: 'json <svg onload="window.__pwned = 1">', gold: 'card', guess: 'complaint' },
  {
    text: `long ${'words of a long message '.repeat(30)}<img src=y onerror="window.__pwned = 2">`,
    gold: 'card',
    guess: 'greeting',
  },
  ...Array.from({ length: 40 }, (_, index) => ({
    text: `plain ${index}`,
    gold: index % 3 ? 'card' : 'greeting',
    guess: index % 5 ? (index % 3 ? 'card' : 'greeting') : 'complaint',
  })),
];

// Counted by hand from the rows above: wrong answers (gold != guess, FAIL aside) and failures.
const wrong = hostile.filter((row) => row.guess !== 'FAIL' && row.guess !== row.gold).length;
const failed = hostile.filter((row) => row.guess === 'FAIL').length;

// A second score without a gold column.
const unlabeled =
  '  - name: \'A score without gold, named at length "><img src=x onerror="window.__pwned=3">\'\n    class: echo/guess\n    labels: ["greeting", "complaint", "card"]\n';

describe('report.html in Chromium', () => {
  it('shows a summary, items with text, calls and explanations, and never runs injected markup', async () => {
    const summary = await runFolder(
      'Hostile <b>Card</b>',
      ['greeting', 'complaint', 'card'],
      hostile,
      unlabeled,
    );
    const html = readFileSync(summary.report!, 'utf8');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none';`,
    );
    const { page, problems } = await open(summary.report!);
    expect(
      await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
    expect(await page.locator('h1').textContent()).toBe('Hostile <b>Card</b>');
    // Summary first: one row per score, each linking to its section.
    const summaryRows = page.locator('table.summary tbody tr');
    expect(await summaryRows.count()).toBe(2);
    expect(await summaryRows.nth(1).locator('a').getAttribute('href')).toBe('#score-1');
    // A hostile score name stays text in the table, the navigation and the rows' attributes.
    const hostileName =
      'A score without gold, named at length "><img src=x onerror="window.__pwned=3">';
    expect(await summaryRows.nth(1).locator('a').textContent()).toBe(hostileName);
    expect(await page.locator('nav.toc a[href="#score-1"]').getAttribute('title')).toBe(
      hostileName,
    );
    expect(await page.locator('#score-1 tr.item').first().getAttribute('data-score')).toBe(
      hostileName,
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(await summaryRows.nth(1).locator('td').nth(8).textContent()).toBe(
      String(hostile.length - failed),
    );
    expect(await page.locator('#score-0 .heatmap td.cell').count()).toBe(9);
    // The navigation stays in view when the page scrolls.
    await page.locator('#score-1').scrollIntoViewIfNeeded();
    expect((await page.locator('nav.toc').boundingBox())!.y).toBe(0);
    const problemsRows = page.locator('#score-0 .score-items > table tr.item');
    expect(await problemsRows.count()).toBe(wrong + failed);
    const look = page.locator('tr.item[data-kind="misclassified"]', { hasText: 'Look <img' });
    expect(await look.locator('.item-text mark').textContent()).toBe('Look');
    expect(await look.locator('.item-text .text').first().textContent()).toBe(hostile[1]!.text);
    // The LLM call: its rendered prompt and raw answer, as text.
    await look.locator('details.call summary').click();
    expect(await look.locator('details.call pre').first().textContent()).toBe(
      `Classify: ${hostile[1]!.text}`,
    );
    expect(await look.locator('details.call .answer pre').textContent()).toBe(
      '{"label": "greeting"} <b>raw</b>',
    );
    // A JSON explanation is shown as fields.
    const json = page.locator('#score-0 tr.item', { hasText: 'json <svg' });
    expect(await json.locator('dl.fields dt').allTextContents()).toEqual(['reasoning', 'evidence']);
    expect(await json.locator('dl.fields dd').nth(1).textContent()).toBe('["<i>x</i>"]');
    // A long text is shortened, the whole of it on demand.
    const long = page.locator('#score-0 tr.item', { hasText: 'long words' });
    const preview = (await long.locator('.item-text > .text').textContent())!;
    expect(preview.length).toBeLessThan(260);
    expect(await long.locator('details.full-text .text').textContent()).toBe(hostile[6]!.text);
    // Correct items on demand: a sample, hidden until asked for.
    const correctRows = page.locator('#score-0 details.sample tr.item');
    expect(await correctRows.first().isVisible()).toBe(false);
    await page.locator('#score-0 details.sample > summary').click();
    expect(await correctRows.count()).toBe(hostile.length - wrong - failed);
    // The score without gold: its predicted labels counted, a sample of its items.
    const distribution = page.locator('#score-1 table.distribution tbody tr');
    const guesses = hostile.filter((row) => row.guess !== 'FAIL').map((row) => row.guess);
    expect(await distribution.count()).toBe(new Set(guesses).size);
    const counts = await distribution.evaluateAll((rows) =>
      rows.map((row) => [row.children[0]!.textContent, Number(row.children[1]!.textContent)]),
    );
    expect(Object.fromEntries(counts)).toEqual(
      Object.fromEntries(
        ['greeting', 'complaint', 'card'].map((label) => [
          label,
          guesses.filter((guess) => guess === label).length,
        ]),
      ),
    );
    expect(await page.locator('#score-1 details.sample[open] tr.item').count()).toBe(
      hostile.length - failed,
    );
    // Filters over every item row of the page.
    await page.fill('#filter-text', 'onerror');
    expect(await page.locator('tr.item:not(.hidden)').count()).toBe(4); // 2 items × 2 scores
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-kind', 'error');
    expect(await page.locator('tr.item:not(.hidden)').count()).toBe(failed * 2);
    expect(await page.locator('tr.item:not(.hidden)').first().textContent()).toContain(
      'failed on crash <b>bold</b>',
    );
    await page.screenshot({ path: join(artifacts, 'report-hostile.png'), fullPage: true });
    expect(
      await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
    expect(problems).toEqual([]);
    // The Content-Security-Policy refuses a request to anywhere else.
    const outcome = await page.evaluate(() =>
      fetch('http://127.0.0.1:9/exfiltrate').then(
        () => 'sent',
        () => 'refused',
      ),
    );
    expect(outcome).toBe('refused');
    expect(problems.some((problem) => problem.startsWith('network:'))).toBe(false);
  });

  it('lists at most the rows it says, per score', async () => {
    const summary = await runFolder(
      'Bounded',
      ['greeting', 'complaint', 'card'],
      hostile,
      unlabeled,
    );
    // Written again from the folder: results.jsonl holds each text once, on the item's first line.
    const lines = readFileSync(join(summary.dir, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines.filter((line) => line.includes('"text":'))).toHaveLength(hostile.length);
    await writeReport(summary.dir, { maxRows: 5 });
    const { page, problems } = await open(summary.report!);
    // Score 1: its failure and its unlabeled sample; score 0: 5 problems and its correct sample.
    expect(await page.locator('tr.item').count()).toBe(
      5 + (hostile.length - wrong - failed) + failed + (hostile.length - failed),
    );
    expect(await page.locator('.item-text', { hasText: 'text not stored' }).count()).toBe(0);
    expect(await page.locator('#score-0 .score-items > table tr.item').count()).toBe(5);
    expect(await page.locator('#score-0 .score-items > p.note').textContent()).toBe(
      `This page lists at most 5 misclassified and failed items per score: the first 5 of ${wrong + failed}. All are in results.jsonl.`,
    );
    expect(problems).toEqual([]);
  });

  it('keeps a 77-label report readable over Banking77: numbered columns and top confusions first', async () => {
    // 770 real Banking77 test queries, 10 per intent (fixtures/README.md: CC BY 4.0, PolyAI).
    // No 77-way classifier exists yet in this package, so the score answers the gold intent with
    // seeded noise (30% another intent), as the metric fixtures do.
    const parser = new CsvParser();
    const source = readFileSync(
      fileURLToPath(new URL('./fixtures/banking77-test-sample.csv', import.meta.url)),
      'utf8',
    );
    const records = [...parser.push(source), ...parser.end()].flatMap((event) =>
      event.kind === 'record' ? [event.fields] : [],
    );
    const labels = [...new Set(records.slice(1).map((fields) => fields[1]!))].sort();
    expect(labels).toHaveLength(77);
    const random = seededRandom(77);
    const rows = records.slice(1).map(([text, gold]) => ({
      text: text!,
      gold: gold!,
      guess: random() < 0.3 ? labels[Math.floor(random() * 77)]! : gold!,
    }));
    const summary = await runFolder('Banking intents', labels, rows);
    const { page, problems } = await open(summary.report!);
    expect(await page.locator('.heatmap.compact td.cell').count()).toBe(77 * 77);
    const box = await page.locator('.heatmap.compact').boundingBox();
    expect(box!.x + box!.width).toBeLessThan(1280);
    // The matrix's labels are normalised (lower case), sorted.
    const shown = labels.map((label) => label.toLowerCase()).sort();
    const columns = page.locator('.heatmap.compact th.column');
    expect(await columns.nth(76).textContent()).toBe('77');
    expect(await columns.nth(76).getAttribute('title')).toBe(`77. ${shown[76]}`);
    expect(await page.locator('.heatmap.compact th.row').nth(0).textContent()).toBe(
      `1. ${shown[0]}`,
    );
    // Top confusions come before the matrix, largest first, matching a count of the data.
    const confusions = page.locator('ol.confusions li');
    expect(await confusions.count()).toBe(15);
    const first = (await confusions.first().textContent())!;
    const [, gold, predicted, count] = first.match(/^(.+) taken for (.+): (\d+)$/)!;
    const pairs = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.gold}|${row.guess}`.toLowerCase();
      if (row.guess !== row.gold) pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    expect(Number(count)).toBe(Math.max(...pairs.values()));
    expect(pairs.get(`${gold}|${predicted}`)).toBe(Number(count));
    const listTop = (await page.locator('ol.confusions').boundingBox())!.y;
    expect(listTop).toBeLessThan(box!.y);
    await page.screenshot({ path: join(artifacts, 'report-77-labels.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
