import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from './server.js';
import { type TestRow, writeTestRun } from './test-runs.js';

// Two runs of the same items whose gold labels differ on some (a corrected dataset): each run is
// judged against its own gold, so a flipped item's row must show both gold labels, else it reads
// as the same answer judged right in one run and wrong in the other.
const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-gold-'));
const root = join(folder, 'runs');
let viewer: Viewer;
let browser: Browser;

// Both runs answer `no` everywhere; B's gold says `no` where A's says `yes` on items 0..5.
const rowsA: TestRow[] = Array.from({ length: 12 }, (_, index) => ({
  id: `g${index}`,
  text: `text ${index}`,
  gold: index % 2 ? 'no' : 'yes',
  guess: 'no',
}));
const rowsB: TestRow[] = rowsA.map((row, index) => ({ ...row, gold: index < 6 ? 'no' : row.gold }));

function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found)
    throw new Error('the viewer tests need Chromium: install it with `apt-get install chromium`');
  return found;
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  const labels = ['yes', 'no'];
  await writeTestRun(folder, 'a', rowsA, { labels });
  await writeTestRun(folder, 'b', rowsB, { labels });
  viewer = await startViewer({ root, port: 0 });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
});

describe('the compare page of runs whose gold labels differ', () => {
  it("shows each run's gold label on a flipped item where they differ", async () => {
    // By hand: items 0, 2, 4 are gold yes in A (answer no: wrong), gold no in B (right).
    const flipped = rowsA.filter((row, index) => row.gold !== rowsB[index]!.gold);
    expect(flipped.map((row) => row.id)).toEqual(['g0', 'g2', 'g4']);
    const page = await browser.newPage();
    await page.goto(new URL('/compare?a=a&b=b', viewer.url).href);
    expect(await page.locator('.flipped h3').allTextContents()).toEqual([
      'Right in A only: none',
      `Right in B only: ${flipped.length}`,
    ]);
    const cells = await page.locator('.flipped table tbody tr td:nth-child(2)').allTextContents();
    expect(cells).toEqual(flipped.map(() => 'A: yes, B: no'));
    // Each answer links to its own run's item page, which shows that run's gold label.
    await page.click('.flipped table tbody tr:first-child td:nth-child(4) a');
    await page.waitForURL(/\/run\/b\/item\/g0$/);
    expect(await page.locator('.score-card dl.fields').first().textContent()).toContain('goldno');
    await page.goBack();
    await page.click('.flipped table tbody tr:first-child td:nth-child(3) a');
    await page.waitForURL(/\/run\/a\/item\/g0$/);
    expect(await page.locator('.score-card dl.fields').first().textContent()).toContain('goldyes');
  });
});
