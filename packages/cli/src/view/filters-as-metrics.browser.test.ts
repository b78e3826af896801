import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultLine, RunMetricsFile } from '@plexus/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from './server.js';

// A real run of the CLI (keyword rules, a dependent score that skips) on gold labels written in
// several ways (`Yes `, `yes`, `YES`: one label in the metrics), Arabic and Hebrew texts; its
// pages are read in Chromium and every count is checked against a hand count of results.jsonl.
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-view-filters-'));
const root = join(project, 'runs');
const name = 'hunt';

const golds = ['Yes ', 'yes', 'YES', 'no', 'No', 'maybe'];
const texts = [
  'my card was stolen yesterday',
  'hello there friend',
  'مرحبا بطاقتي سرقت',
  'שלום הכרטיס נגנב',
  // Written with a combining accent (NFD), as macOS and some exports write it.
  'cafe\u0301 crème, Stolen card',
  'nothing to see',
  'lost my keys',
];
const rows = Array.from({ length: 240 }, (_, index) => ({
  id: `r${index}`,
  text: `${texts[index % texts.length]} #${index}`,
  gold: golds[index % golds.length]!,
}));

let viewer: Viewer;
let browser: Browser;
let lines: ResultLine[];
let metrics: RunMetricsFile;

function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found)
    throw new Error('the viewer tests need Chromium: install it with `apt-get install chromium`');
  return found;
}

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  // The last line is cut short: a dataset row the run cannot read.
  writeFileSync(
    join(project, 'data.jsonl'),
    `${rows.map((row) => JSON.stringify(row)).join('\n')}\n{"id": "cut", "text": \n`,
  );
  writeFileSync(
    join(project, 'card.yaml'),
    `name: Hunt
data: { path: data.jsonl }
scores:
  - { name: Stolen, class: heuristic/keywords, labels: ["yes", "no"], label_column: gold, phrases: [stolen, سرقت, נגנב] }
  - name: Followup
    class: heuristic/regex
    depends_on: { Stolen: { operator: "==", value: "yes" } }
    patterns: [card]
  - { name: Off, class: heuristic/regex, patterns: [x], disabled: true }
`,
  );
  const ran = spawnSync(process.execPath, [bin, 'evaluate', 'card.yaml', '--out', `runs/${name}`], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache'), MLFLOW_TRACKING_URI: '' },
  });
  expect(ran.status, ran.stderr).toBe(0);
  const dir = join(root, name);
  lines = readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ResultLine);
  metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as RunMetricsFile;
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

async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(new URL(path, viewer.url).href);
  return { page, problems };
}

const matched = (page: Page) => page.locator('#matched').first().textContent();
/** By hand: a gold label as the default normalize_labels names it. */
const key = (label: string | null) => (label === null ? null : label.trim().toLowerCase());
const textOfItem = (id: string) => rows.find((row) => row.id === id)!.text;

describe('the run page filters as the metrics count', () => {
  it('lists gold labels as the confusion matrix names them; a cell filtered holds its count', async () => {
    const stolen = lines.filter((line) => line.score === 'Stolen');
    const byHand = stolen.filter((line) => key(line.label) === 'yes' && line.value === 'no');
    const matrix = metrics.scores.Stolen!.confusion_matrix;
    const cell = matrix.matrix[matrix.labels.indexOf('yes')]![matrix.labels.indexOf('no')]!;
    expect(cell).toBe(byHand.length);
    expect(byHand.length).toBeGreaterThan(50);
    const { page, problems } = await open(`/run/${name}`);
    // By hand: one dataset row (the cut line) was not read; dataset-errors.jsonl says why.
    const errors = readFileSync(join(root, name, 'dataset-errors.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(errors.length).toBe(1);
    expect(await page.locator('#rows-not-read').textContent()).toBe(
      'dataset rows not read: 1 (why: dataset-errors.jsonl in the run folder)',
    );
    const options = await page.locator('select[name=gold] option').allTextContents();
    expect(options).toEqual(['all', 'maybe', 'no', 'yes']);
    await page.selectOption('select[name=score]', 'Stolen');
    await page.selectOption('select[name=gold]', 'yes');
    await page.selectOption('select[name=predicted]', 'no');
    await page.click('button[type=submit]');
    expect(await matched(page)).toBe(`results 1–50 of ${cell} matching (of ${lines.length})`);
    // The last page: the rest, each row's gold written as in the data.
    await page.click('a:text-is("next →")');
    const rest = cell - 50;
    expect(await matched(page)).toBe(`results 51–${cell} of ${cell} matching (of ${lines.length})`);
    const shownGold = await page.locator('#items tbody tr td:nth-child(4)').allTextContents();
    expect(shownGold.length).toBe(rest);
    expect(new Set(shownGold)).toEqual(new Set(byHand.slice(50).map((line) => line.label)));
    // An old link naming the label as written finds the same lines, and the form shows it chosen.
    await page.goto(new URL(`/run/${name}?score=Stolen&gold=YES&predicted=no`, viewer.url).href);
    expect(await matched(page)).toBe(`results 1–50 of ${cell} matching (of ${lines.length})`);
    expect(await page.locator('select[name=gold]').inputValue()).toBe('yes');
    expect(problems).toEqual([]);
  });

  it("says how many of a score's skipped results are a disabled score's", async () => {
    // By hand: every line of Off is disabled; the metrics count them as skipped.
    const off = lines.filter((line) => line.score === 'Off');
    expect(off.every((line) => line.status === 'disabled')).toBe(true);
    expect(metrics.scores.Off!.n_skipped).toBe(off.length);
    const followup = lines.filter((line) => line.score === 'Followup');
    const skipped = followup.filter((line) => line.status === 'skipped').length;
    const { page, problems } = await open(`/run/${name}`);
    const cells = async (score: string) =>
      page.locator('#scores tbody tr', { hasText: score }).locator('td:nth-child(8)').textContent();
    expect(await cells('Off')).toBe(`${off.length} (${off.length} disabled)`);
    expect(await cells('Followup')).toBe(String(skipped));
    await page.goto(new URL(`/run/${name}?score=Off&status=disabled`, viewer.url).href);
    expect(await matched(page)).toBe(`results 1–50 of ${off.length} matching (of ${lines.length})`);
    expect(problems).toEqual([]);
  });

  it('says which filter value names nothing in the run instead of an empty list', async () => {
    const { page, problems } = await open(`/run/${name}?outcome=wrong&status=okay`);
    expect(await matched(page)).toBe('no results match');
    expect(await page.locator('#filter-problem').textContent()).toBe(
      `Nothing can match: answer "wrong" is none of this run's: correct, incorrect, unjudged; status "okay" is none of this run's: disabled, ok, skipped.`,
    );
    await page.goto(new URL(`/run/${name}?outcome=incorrect`, viewer.url).href);
    expect(await page.locator('#filter-problem').count()).toBe(0);
    // A label the form offers (another score's) that the chosen score never has: said too.
    await page.selectOption('select[name=score]', 'Followup');
    await page.selectOption('select[name=gold]', 'yes');
    await page.click('button[type=submit]');
    expect(await page.locator('#filter-problem').textContent()).toBe(
      `Nothing can match: gold "yes" is none of score Followup's: none.`,
    );
    await page.goto(new URL(`/run/${name}?score=Stolen&predicted=maybe`, viewer.url).href);
    expect(await page.locator('#filter-problem').textContent()).toBe(
      `Nothing can match: predicted "maybe" is none of score Stolen's: no, yes.`,
    );
    await page.goto(new URL(`/run/${name}?predicted=maybe&gold=MAYBE`, viewer.url).href);
    expect(await page.locator('#filter-problem').textContent()).toBe(
      `Nothing can match: predicted "maybe" is none of this run's: no, yes.`,
    );
    expect(problems).toEqual([]);
  });

  it('searches item texts by default, explanations when asked, and says which', async () => {
    const inText = lines.filter((line) =>
      textOfItem(line.item_id).toLowerCase().includes('stolen'),
    );
    const inExplanations = lines.filter((line) =>
      (line.explanation ?? '').toLowerCase().includes('stolen'),
    );
    // The rule's explanations name "stolen" when it was not found too: far more lines.
    expect(inExplanations.length).toBeGreaterThan(inText.length);
    const { page, problems } = await open(`/run/${name}`);
    await page.fill('input[name=q]', 'STOLEN');
    await page.click('button[type=submit]');
    expect(await matched(page)).toBe(
      `results 1–50 of ${inText.length} matching "STOLEN" in item ids, texts and labels (of ${lines.length})`,
    );
    await page.selectOption('select[name=in]', 'explanations');
    await page.click('button[type=submit]');
    expect(await matched(page)).toBe(
      `results 1–50 of ${inExplanations.length} matching "STOLEN" in explanations and error messages (of ${lines.length})`,
    );
    // A text written with a combining accent is found by the accent typed as one character.
    const cafe = lines.filter((line) => textOfItem(line.item_id).normalize('NFC').includes('café'));
    expect(cafe.length).toBeGreaterThan(0);
    expect(lines.filter((line) => textOfItem(line.item_id).includes('café')).length).toBe(0);
    await page.goto(new URL(`/run/${name}?q=${encodeURIComponent('CAFÉ')}`, viewer.url).href);
    expect(await matched(page)).toBe(
      `results 1–${Math.min(50, cafe.length)} of ${cafe.length} matching "CAFÉ" in item ids, texts and labels (of ${lines.length})`,
    );
    // Right-to-left text is found as typed; the count is the items' lines, by hand.
    const hebrew = lines.filter((line) => textOfItem(line.item_id).includes('נגנב'));
    await page.goto(new URL(`/run/${name}?q=${encodeURIComponent('נגנב')}`, viewer.url).href);
    expect(await matched(page)).toBe(
      `results 1–${Math.min(50, hebrew.length)} of ${hebrew.length} matching "נגנב" in item ids, texts and labels (of ${lines.length})`,
    );
    expect(problems).toEqual([]);
  });

  it('draws the count after a searched right-to-left override left to right', async () => {
    const { page, problems } = await open(`/run/${name}?q=${encodeURIComponent('\u202eab')}`);
    expect(await matched(page)).toBe(`no results match "\u202eab" in item ids, texts and labels`);
    // The x of the first and the last character of "labels", as drawn (a string: no DOM types).
    const [first, last] = (await page.evaluate(`(() => {
      const walker = document.createTreeWalker(document.getElementById('matched'), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf('labels');
        if (at === -1) continue;
        const x = (offset) => {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          return range.getBoundingClientRect().left;
        };
        return [x(at), x(at + 'labels'.length - 1)];
      }
      return [NaN, NaN];
    })()`)) as [number, number];
    expect(first).toBeLessThan(last);
    expect(problems).toEqual([]);
  });
});
