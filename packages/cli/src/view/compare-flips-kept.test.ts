import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { comparePageFor } from './compare-route.js';
import { type TestRow, writeTestRun } from './test-runs.js';

// The compare page found its flipped items anew on every view of a kept comparison (4.6 CPU s
// for runs of a million items); they are kept with it now. The page must stay the same, and
// follow a run scored again.

const gold = (index: number) => (index % 2 ? 'odd' : 'even');
const wrong = (index: number) => (index % 2 ? 'even' : 'odd');
const rows = (answer: (index: number) => string): TestRow[] =>
  Array.from({ length: 30 }, (_, index) => ({
    id: `n${index}`,
    text: `number ${index}`,
    gold: gold(index),
    guess: answer(index),
  }));
const labels = ['even', 'odd'];
const query = new URLSearchParams({ a: 'a', b: 'b' });
/** The counts of the flipped-items headings, as the page shows them. */
const flipCounts = (html: string) =>
  [...html.matchAll(/<h3>(Right in [AB] only): (\w+)/g)].map((found) => `${found[1]}: ${found[2]}`);

it('a kept comparison shows the same flipped items, and a run scored again its own', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-flips-'));
  const root = join(folder, 'runs');
  // A wrong on items 0-4, B wrong on items 5-11: 5 right in B only, 7 right in A only.
  await writeTestRun(
    folder,
    'a',
    rows((i) => (i < 5 ? wrong(i) : gold(i))),
    { labels },
  );
  await writeTestRun(
    folder,
    'b',
    rows((i) => (i >= 5 && i < 12 ? wrong(i) : gold(i))),
    { labels },
  );
  const first = await comparePageFor(root, query);
  expect(flipCounts(first ?? '')).toEqual(['Right in A only: 7', 'Right in B only: 5']);
  expect(await comparePageFor(root, query)).toBe(first);
  // Run B scored again (its folder replaced): B wrong on items 5-6 only.
  await writeTestRun(
    folder,
    'b2',
    rows((i) => (i >= 5 && i < 7 ? wrong(i) : gold(i))),
    { labels },
  );
  rmSync(join(root, 'b'), { recursive: true });
  renameSync(join(root, 'b2'), join(root, 'b'));
  const again = await comparePageFor(root, query);
  expect(flipCounts(again ?? '')).toEqual(['Right in A only: 2', 'Right in B only: 5']);
});
