import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from './server.js';
import { writeTestRun } from './test-runs.js';

// Item ids are data: `.` and `..` too. As a path segment a URL resolves them ("this folder", "the
// parent", even written %2E%2E), so their links led to the run page instead of the item's.
const folder = mkdtempSync(join(tmpdir(), 'plexus-dot-ids-'));
const ids = ['.', '..', '...', 'a/b', '%2E%2E'];
let viewer: Viewer;

beforeAll(async () => {
  await writeTestRun(
    folder,
    'dots',
    ids.map((id, index) => ({ id, text: `text of item ${index}`, gold: 'yes', guess: 'yes' })),
  );
  viewer = await startViewer({ root: join(folder, 'runs'), port: 0 });
});

afterAll(async () => {
  await viewer?.close();
});

/** The decoded HTML attribute values of the run page's item links, in page order. */
async function itemLinks(): Promise<string[]> {
  const html = await (await fetch(new URL('/run/dots', viewer.url))).text();
  return [...html.matchAll(/<a href="(\/run\/dots\/item[^"]*)"/g)].map((match) =>
    match[1]!.replace(/&amp;/g, '&'),
  );
}

describe('item pages of ids that are path syntax', () => {
  it('are reached from the run page, each showing its own item', async () => {
    const links = await itemLinks();
    expect(links).toHaveLength(ids.length);
    for (const [index, link] of links.entries()) {
      // As a browser does: the link resolved against the page, then requested.
      const response = await fetch(new URL(link, new URL('/run/dots', viewer.url)));
      expect(response.status, link).toBe(200);
      const html = await response.text();
      expect(html, link).toContain(`text of item ${index}`);
      expect(html, link).toContain('<h1>Item');
    }
  });
});
