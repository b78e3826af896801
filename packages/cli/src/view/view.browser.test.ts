import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareRuns, type RunSummary } from '@plexus/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from './server.js';
import { type TestRow, writeTestRun } from './test-runs.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-view-'));
const root = join(folder, 'runs');
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found)
    throw new Error('the viewer tests need Chromium: install it with `apt-get install chromium`');
  return found;
}

// Hostile item text and ids: the pages must show them as text and run nothing.
const hostile: TestRow[] = [
  {
    id: 'x1',
    text: 'Hi <script>window.__pwned = "script"</script>',
    gold: 'greeting',
    guess: 'complaint',
  },
  {
    id: 'x2',
    text: 'Look <img src=x onerror="window.__pwned = \'img\'">',
    gold: 'complaint',
    guess: 'greeting',
  },
  {
    id: 'x3',
    text: '<a href="javascript:window.__pwned=\'link\'">click me</a>',
    gold: 'greeting',
    guess: 'complaint',
  },
  {
    id: 'javascript:window.__pwned=1',
    text: 'an id that is a javascript: URL',
    gold: 'card',
    guess: 'card',
  },
  { id: 'x5', text: 'crash <b>bold</b>', gold: 'card', guess: 'FAIL' },
];
const plain: TestRow[] = Array.from({ length: 60 }, (_, index) => ({
  id: `item-${index}`,
  text: `plain text number ${index}${index === 7 ? ' with the word needle' : ''}`,
  gold: index % 3 ? 'card' : 'greeting',
  guess: index % 4 === 0 ? 'complaint' : index % 3 ? 'card' : 'greeting',
}));
// Run B: right where A was wrong on items 0..19, wrong where A was right on items 40..44.
const improved: TestRow[] = plain.map((row, index) => ({
  ...row,
  guess: index < 20 ? row.gold : index >= 40 && index < 45 ? 'complaint' : row.guess,
}));
const labels = ['greeting', 'complaint', 'card'];

let runA: RunSummary;
let runB: RunSummary;
let viewer: Viewer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  let clock = Date.parse('2026-01-01T10:00:00Z');
  const now = () => {
    clock += 1000;
    return new Date(clock);
  };
  runA = await writeTestRun(folder, 'run-a', [...hostile, ...plain], { labels, now });
  clock = Date.parse('2026-02-01T10:00:00Z');
  runB = await writeTestRun(folder, 'run-b', [...hostile, ...improved], { labels, now });
  // A run folder outside the runs folder, reached through a symlink: never served.
  const elsewhere = join(folder, 'elsewhere');
  mkdirSync(elsewhere);
  const outside = await writeTestRun(elsewhere, 'outside', plain.slice(0, 3), { labels });
  symlinkSync(outside.dir, join(root, 'escape'));
  writeFileSync(join(folder, 'secret.txt'), 'secret');
  // A run whose report.html is a link to a file outside: the folder is served, the link is not.
  const linked = await writeTestRun(folder, 'linked', plain.slice(0, 3), { labels });
  rmSync(join(linked.dir, 'report.html'));
  symlinkSync(join(folder, 'secret.txt'), join(linked.dir, 'report.html'));
  viewer = await startViewer({ root, port: 0 });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
});

/** Opens a page; any script error, console error, dialog or request elsewhere is a problem. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
  page.on('request', (sent) => {
    if (!sent.url().startsWith(viewer.url)) problems.push(`network: ${sent.url()}`);
  });
  await page.goto(new URL(path, viewer.url).href);
  return { page, problems };
}

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned);
}

/** A raw GET: the path is sent as written (no client normalises `..` away). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(viewer.url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path, method: 'GET', headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject);
    sent.end();
  });
}

const nameA = 'run-a';
const nameB = 'run-b';

describe('plexus view in Chromium', () => {
  it('lists the runs newest first and opens one with its metrics', async () => {
    const { page, problems } = await open('/');
    const names = await page.locator('#runs tbody tr td:first-child').allTextContents();
    // `linked` (below) was scored now; the two runs compared start in January and February.
    expect(names).toEqual(['linked', nameB, nameA]);
    await page.click(`text=${nameA}`);
    await page.waitForURL(/\/run\/run-a$/);
    expect(await page.locator('h2:has(#scores-source)').textContent()).toBe(
      'Scores from metrics.json',
    );
    // The report's score section, reused: a 3 x 3 heatmap behind a summary.
    await page.click('details.report-section summary');
    expect(await page.locator('details.report-section .heatmap td.cell').count()).toBe(9);
    const scoreRow = await page.locator('#scores tbody tr').first().textContent();
    expect(scoreRow).toContain(runA.scores.Intent!.accuracy!.toFixed(3));
    // 65 results: 50 per page.
    expect(await page.locator('#items tbody tr').count()).toBe(50);
    expect(await page.locator('#matched').first().textContent()).toBe(
      'results 1–50 of 65 matching (of 65)',
    );
    expect(problems).toEqual([]);
  });

  it('filters on answer, gold, status and a text search, counts checked by hand', async () => {
    const rows = [...hostile, ...plain];
    const wrong = rows.filter((row) => row.guess !== 'FAIL' && row.guess !== row.gold).length;
    const { page, problems } = await open(`/run/${nameA}`);
    await page.selectOption('select[name=outcome]', 'incorrect');
    await page.click('button[type=submit]');
    expect(await page.locator('#matched').first().textContent()).toBe(
      `results 1–${wrong} of ${wrong} matching (of 65)`,
    );
    const goldCard = rows.filter(
      (row) => row.gold === 'card' && row.guess !== 'FAIL' && row.guess !== row.gold,
    ).length;
    await page.selectOption('select[name=gold]', 'card');
    await page.click('button[type=submit]');
    expect(await page.locator('#items tbody tr').count()).toBe(goldCard);
    await page.goto(new URL(`/run/${nameA}?status=error`, viewer.url).href);
    expect(await page.locator('#items tbody tr').count()).toBe(1);
    expect(await page.locator('#items tbody tr').textContent()).toContain(
      'failed on crash <b>bold</b>',
    );
    // The search reaches the item's text in the dataset, not only the stored result.
    await page.goto(new URL(`/run/${nameA}?q=NEEDLE`, viewer.url).href);
    expect(await page.locator('#items tbody tr td:first-child').allTextContents()).toEqual([
      'item-7',
    ]);
    expect(problems).toEqual([]);
  });

  it('shows one item: its text, answer, explanation fields and trace', async () => {
    const { page, problems } = await open(`/run/${nameA}`);
    await page.click('a:text-is("item-7")');
    await page.waitForURL(/\/item\/item-7$/);
    expect(await page.locator('#item-text').textContent()).toBe(
      'plain text number 7 with the word needle',
    );
    const card = page.locator('.score-card').first();
    expect(await card.locator('h2').textContent()).toBe('Intent');
    expect(await card.locator('.explanation-block dl.fields').textContent()).toContain(
      'quoteplain text number 7 with the word needle',
    );
    expect(await card.locator('.trace').textContent()).toContain('Classify: plain text number 7');
    // The LLM call as the report shows it: what was asked and the raw answer.
    await card.locator('details.call summary').click();
    expect(await card.locator('details.call .message').first().textContent()).toBe(
      'userClassify: plain text number 7 with the word needle',
    );
    expect(await card.locator('details.call .answer pre').textContent()).toBe('card');
    await page.screenshot({ path: join(artifacts, 'view-item.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('compares two runs: deltas with McNemar p and the flipped items with their text', async () => {
    const expected = await compareRuns({ runA: runA.dir, runB: runB.dir });
    const score = expected.scores[0]!;
    // By hand: B fixed items 0..19 that A got wrong, broke 40..44 that A got right.
    const fixed = plain.slice(0, 20).filter((row) => row.guess !== row.gold).length;
    const broken = plain.slice(40, 45).filter((row) => row.guess === row.gold).length;
    expect([score.only_a_correct, score.only_b_correct]).toEqual([broken, fixed]);
    const { page, problems } = await open('/');
    await page.selectOption('select[name=a]', nameA);
    await page.selectOption('select[name=b]', nameB);
    await page.click('button:text-is("Compare")');
    await page.waitForURL(/\/compare\?/);
    const p = score.mcnemar_p!;
    expect(await page.locator('#comparison td.mcnemar').textContent()).toBe(
      p < 0.001 ? p.toExponential(1) : p.toPrecision(2),
    );
    const headings = await page.locator('.flipped h3').allTextContents();
    expect(headings).toEqual([`Right in A only: ${broken}`, `Right in B only: ${fixed}`]);
    expect(await page.locator('.flipped table').nth(1).textContent()).toContain(
      'plain text number 0',
    );
    await page.screenshot({ path: join(artifacts, 'view-compare.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('keeps hostile item text and ids inert on every page', async () => {
    for (const path of [
      `/run/${nameA}`,
      `/run/${nameA}/item/x1`,
      `/run/${nameA}/item/x2`,
      `/run/${nameA}/item/x3`,
      `/compare?a=${nameA}&b=${nameB}`,
    ]) {
      const { page, problems } = await open(path);
      expect(await pwned(page)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    }
    const { page, problems } = await open(`/run/${nameA}`);
    expect(await page.locator('#items').textContent()).toContain(
      'Look <img src=x onerror="window.__pwned = \'img\'">',
    );
    // A JSON explanation reads as its fields in the list, still as text.
    expect(await page.locator('#items tbody tr td.explanation').first().textContent()).toBe(
      'label: complaint · quote: Hi <script>window.__pwned = "script"</script>',
    );
    await page.screenshot({ path: join(artifacts, 'view-run-hostile.png'), fullPage: true });
    // An id that reads as a javascript: URL is a link to its item page, nothing more.
    await page.click('a:text-is("javascript:window.__pwned=1")');
    await page.waitForURL(/\/item\/javascript%3Awindow/);
    expect(await page.locator('#item-text').textContent()).toBe('an id that is a javascript: URL');
    expect(await pwned(page)).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('answers 404 for any path outside the runs folder', async () => {
    const paths = [
      '/run/../secret.txt',
      '/run/..%2fsecret.txt',
      '/run/%2e%2e/run-a',
      '/run/%2e%2e%2fsecret.txt/item/x',
      '/run/..%5csecret.txt',
      `/run/${encodeURIComponent(join(folder, 'runs', 'run-a'))}`,
      `/run/${encodeURIComponent(runA.dir)}/item/x1`,
      '/run/escape',
      '/run/escape/item/item-0',
      '/run/escape/report.html',
      '/compare?a=escape&b=run-a',
      '/compare?a=..&b=run-a',
      '/run/run-a/../../secret.txt',
      '/run/run-a/results.jsonl',
      '/run/run-a/item/%E0%A4%A',
      '/secret.txt',
      '/run/linked/report.html',
    ];
    const statuses = await Promise.all(paths.map((path) => rawGet(path)));
    expect(Object.fromEntries(paths.map((path, index) => [path, statuses[index]]))).toEqual(
      Object.fromEntries(paths.map((path) => [path, 404])),
    );
    expect(await rawGet('/run/run-a')).toBe(200);
    expect(await rawGet('/run/run-a/report.html')).toBe(200);
    expect(await rawGet('/run/linked')).toBe(200);
    // A page on another site that points its name at 127.0.0.1 (DNS rebinding) gets nothing.
    expect(await rawGet('/run/run-a', { host: 'attacker.example:80' })).toBe(403);
    expect(await rawGet('/run/run-a', { host: `localhost:${new URL(viewer.url).port}` })).toBe(200);
  });
});
