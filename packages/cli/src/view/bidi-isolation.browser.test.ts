import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test-packages.js';
import { startViewer, type Viewer } from './server.js';

// A score and a scorecard whose names end in a right-to-left override (U+202E) that nothing
// closes, and a keywords rule whose phrases are Hebrew, Arabic and English: its explanation lists
// them ("not found: "שלום עולם", "مرحبا بكم", "refund""). Read in Chromium as drawn (the x of
// each word), not as the DOM holds the text.
const folder = mkdtempSync(join(tmpdir(), 'plexus-bidi-isolation-'));
const runs = join(folder, 'runs');
const hebrew = 'שלום עולם';
const arabic = 'مرحبا بكم';
const listed = `not found: "${hebrew}", "${arabic}", "refund"`;
let browser: Browser;
let viewer: Viewer;

function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found)
    throw new Error('the viewer tests need Chromium: install it with `apt-get install chromium`');
  return found;
}

beforeAll(async () => {
  const data = join(folder, 'data.csv');
  writeFileSync(
    data,
    'id,text,label\n1,please refund me,yes\n2,hello there,no\n3,anything else,no\n',
  );
  const card = join(folder, 'card.yaml');
  writeFileSync(
    card,
    `name: "Calls \\u202e"\ndata: { path: ${data} }\nscores:\n  - { name: "Greeting \\u202e", class: heuristic/keywords, phrases: ["${hebrew}", "${arabic}", refund], labels: [yes, no], label_column: label }\n`,
  );
  const evaluated = await runMain(['evaluate', card, '--out', join(runs, 'bidi'), '--quiet']);
  expect(evaluated.code).toBe(0);
  // Run B names its score otherwise: the compare page pairs them ("A vs B").
  const cardB = join(folder, 'card-b.yaml');
  writeFileSync(cardB, readFileSync(card, 'utf8').replace('Greeting', 'Farewell'));
  const evaluatedB = await runMain(['evaluate', cardB, '--out', join(runs, 'bidi-b'), '--quiet']);
  expect(evaluatedB.code).toBe(0);
  viewer = await startViewer({ root: runs, port: 0 });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  rmSync(folder, { recursive: true, force: true });
});

/**
 * The Latin words of three letters or more drawn right to left (their last letter left of their
 * first), each with the text around it: a bidi override leaking out of a name draws them so. Every
 * <details> is opened first (the report's samples are folded: nothing folded is drawn).
 * (A string: the test is type-checked without the DOM's types.)
 */
async function reversedWords(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
    const reversed = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const style = getComputedStyle(node.parentElement);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      for (const match of node.textContent.matchAll(/[A-Za-z]{3,}/g)) {
        const x = (offset) => {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          const box = range.getBoundingClientRect();
          return box.width > 0 ? box.left : NaN;
        };
        const first = x(match.index);
        const last = x(match.index + match[0].length - 1);
        if (first > last) reversed.push(match[0] + ' in "' + node.parentElement.textContent.trim().slice(0, 80) + '"');
      }
    }
    return reversed;
  })()`)) as string[];
}

/**
 * For each element whose text lists the Hebrew phrase, the Arabic one and "refund" as not found
 * (each last seen in it: the list ends the explanation): whether they are drawn in that order,
 * reading left to right and down (a narrow cell wraps).
 */
async function phraseOrder(page: Page): Promise<{ text: string; inOrder: boolean }[]> {
  return (await page.evaluate(`(() => {
    const place = (element, phrase) => {
      let found;
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.lastIndexOf(phrase);
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        found = range.getClientRects()[0];
      }
      return found;
    };
    const before = (a, b) => a.bottom <= b.top + 2 || (Math.abs(a.top - b.top) <= 2 && a.right <= b.left + 1);
    for (const details of document.querySelectorAll('details')) details.open = true;
    // One line each: a line break between the phrases would put them in order by itself.
    for (const element of document.querySelectorAll('td, dd, div.detail')) element.style.whiteSpace = 'nowrap';
    const found = [];
    for (const element of document.querySelectorAll('td, dd, div.detail')) {
      const text = element.textContent;
      if (!text.includes(${JSON.stringify(listed)})) continue;
      if (element.querySelector('td, dd, div.detail')) continue;
      const [first, second, third] = [${JSON.stringify(hebrew)}, ${JSON.stringify(arabic)}, 'refund'].map((phrase) => place(element, phrase));
      const drawn = [first, second, third].every((box) => box && box.width > 0);
      found.push({ text: text.slice(-60), inOrder: drawn && before(first, second) && before(second, third) });
    }
    return found;
  })()`)) as { text: string; inOrder: boolean }[];
}

describe('names with a bidi override and explanations listing right-to-left phrases', () => {
  const pages: [string, () => string][] = [
    ['the run page', () => `${viewer.url}run/bidi`],
    [
      'the run page, its explanations searched',
      () => `${viewer.url}run/bidi?q=found&in=explanations`,
    ],
    ['an item page', () => `${viewer.url}run/bidi/item/2`],
    ['the compare page', () => `${viewer.url}compare?a=bidi&b=bidi`],
    [
      'the compare page of two score names',
      () =>
        `${viewer.url}compare?${new URLSearchParams({ a: 'bidi', b: 'bidi-b', pair: 'Greeting \u202e=Farewell \u202e' })}`,
    ],
    ['report.html', () => pathToFileURL(join(runs, 'bidi', 'report.html')).href],
  ];

  it.each(pages)('%s draws every word after a name left to right', async (_, url) => {
    const page = await browser.newPage();
    try {
      await page.goto(url());
      expect(await reversedWords(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each(pages.filter(([name]) => !name.startsWith('the compare page')))(
    "%s draws the explanation's phrases in the order it lists them",
    async (_, url) => {
      const page = await browser.newPage();
      try {
        await page.goto(url());
        const order = await phraseOrder(page);
        expect(order.length).toBeGreaterThan(0);
        expect(order.filter((entry) => !entry.inOrder)).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );
});
