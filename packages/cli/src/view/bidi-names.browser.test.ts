import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../test-packages.js';
import { startViewer } from './server.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-bidi-names-'));
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found)
    throw new Error('the viewer tests need Chromium: install it with `apt-get install chromium`');
  return found;
}

// A score name with a right-to-left override (U+202E) and nothing to close it: in the run list,
// where the name and its numbers share a line, the numbers after it were drawn reversed
// ("accuracy 0.667" as "766.0 ycarucca").
describe('the run list with a score name holding a bidi override', () => {
  it('draws the numbers after the name left to right', async () => {
    const data = join(folder, 'data.csv');
    writeFileSync(data, 'id,text,label\n1,free prize,spam\n2,hi mum,ham\n3,free lunch,ham\n');
    const card = join(folder, 'card.yaml');
    writeFileSync(
      card,
      `name: Bidi\ndata: { path: ${data} }\nscores:\n  - { name: "Spam \\u202e", class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
    );
    const runs = join(folder, 'runs');
    expect((await runMain(['evaluate', card, '--out', join(runs, 'bidi'), '--quiet'])).code).toBe(
      0,
    );
    const viewer = await startViewer({ root: runs, port: 0 });
    try {
      browser = await chromium.launch({
        executablePath: chromiumPath(),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      const page = await browser.newPage();
      await page.goto(viewer.url);
      // The x of the first and the last character of "accuracy", as drawn.
      // (A string: the test is type-checked without the DOM's types.)
      const [first, last] = (await page.evaluate(`(() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent.indexOf('accuracy');
          if (at === -1) continue;
          const x = (offset) => {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            return range.getBoundingClientRect().left;
          };
          return [x(at), x(at + 'accuracy'.length - 1)];
        }
        return [NaN, NaN];
      })()`)) as [number, number];
      expect(first).toBeLessThan(last);
    } finally {
      await viewer.close();
    }
  });
});
