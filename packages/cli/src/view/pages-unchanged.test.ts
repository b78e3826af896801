import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { comparedPages, pageParts, writePagesRuns } from './pages-run.js';
import { answer } from './server.js';

/**
 * The sha256 (16 hex digits) of each page's parts (`pageParts`) as the viewer gave them before its
 * index kept no text in memory (byte offsets and typed arrays; the search texts in a file):
 * written by that viewer (HEAD ad3a755) from the same run folders, the runs folder's path as ROOT.
 */
const before = JSON.parse(readFileSync(join(__dirname, 'pages-before.json'), 'utf8')) as Record<
  string,
  { status: number; parts: Record<string, string>; matched: string | null }
>;

const root = mkdtempSync(join(tmpdir(), 'plexus-pages-'));

beforeAll(() => writePagesRuns(root));

async function pageOf(path: string): Promise<{ status: number; html: string }> {
  const result = await answer(root, new URL(path, 'http://viewer.invalid'));
  return { status: result.status, html: (result.html ?? '').replaceAll(root, 'ROOT') };
}

function matchedOf(html: string): string | null {
  const found = /<span id="matched">(.*?)<\/span><(?:a|span) /.exec(html);
  return found ? found[1]!.replace(/<[^>]*>/g, '') : null;
}

describe('the viewer pages, before and after its bounded index', () => {
  it.each(comparedPages)('%s is the page it was', async (path) => {
    const { status, html } = await pageOf(path);
    expect(before[path], 'a page without a recorded one').toBeDefined();
    expect({ status, matched: pageParts(path, html).pager ?? null }).toEqual({
      status: before[path]!.status,
      matched: before[path]!.matched,
    });
    const parts = Object.entries(pageParts(path, html)).map(([name, text]) => [
      name,
      createHash('sha256').update(text).digest('hex').slice(0, 16),
    ]);
    expect(Object.fromEntries(parts)).toEqual(before[path]!.parts);
  });

  it('the counts are a hand count of results.jsonl', async () => {
    const lines = readFileSync(join(root, 'pages-a', 'results.jsonl'), 'utf8')
      .split('\n')
      .flatMap((text) => {
        try {
          return [JSON.parse(text) as Record<string, unknown>];
        } catch {
          return []; // the line cut short, and the end
        }
      });
    const textOf = new Map<string, string>();
    for (const line of lines)
      if (typeof line.text === 'string' && !textOf.has(line.item_id as string))
        textOf.set(line.item_id as string, line.text.slice(0, 1000).toLowerCase());
    const count = (keep: (line: Record<string, unknown>) => boolean) =>
      `of ${lines.filter(keep).length} matching`;
    const refund = count((line) => textOf.get(line.item_id as string)?.includes('refund') ?? false);
    expect(matchedOf((await pageOf('/run/pages-a?q=refund')).html)).toContain(refund);
    const errors = count((line) => line.status === 'error');
    expect(matchedOf((await pageOf('/run/pages-a?status=error')).html)).toContain(errors);
    const explained = count((line) =>
      String(line.explanation ?? '')
        .slice(0, 1000)
        .includes('not found'),
    );
    expect(matchedOf((await pageOf('/run/pages-a?q=not+found&in=explanations')).html)).toContain(
      explained,
    );
    expect(lines).toHaveLength(475);
  });
});
