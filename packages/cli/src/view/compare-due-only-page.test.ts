import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { comparePageFor } from './compare-route.js';
import { type TestRow, writeTestRun } from './test-runs.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-compare-due-only-page-'));

function rows(count: number): TestRow[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `n${index}`,
    text: `number ${index}`,
    gold: index % 2 ? 'odd' : 'even',
    guess: index % 2 ? 'odd' : 'even',
  }));
}

// The compare page of a run of 10 items and one of its first 6 compared 6 and said nothing of 4.
it("the viewer's compare page counts the items due in one run only (hand count: 4 of A)", async () => {
  mkdirSync(join(folder, 'runs'), { recursive: true });
  await writeTestRun(folder, 'ten', rows(10), { labels: ['even', 'odd'] });
  await writeTestRun(folder, 'six', rows(6), { labels: ['even', 'odd'] });
  const page = await comparePageFor(join(folder, 'runs'), new URLSearchParams('a=ten&b=six'));
  expect(page).toContain('(left out, due in one run only: 4 of run A, 0 of run B)');
  const same = await comparePageFor(join(folder, 'runs'), new URLSearchParams('a=ten&b=ten'));
  expect(same).not.toContain('left out, due in one run only');
});
