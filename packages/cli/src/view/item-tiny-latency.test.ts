import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fileWriter, runMain } from '../test-packages.js';
import { startViewer } from './server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-item-tiny-latency-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// A keyword rule answers a batch of items in well under a millisecond: each item's share read
// "latency 0.0 ms" on the item page, as an answer from the cache (no time at all) does.
it("the item page says a rule's latency under 0.05 ms is one, not 0.0 ms", async () => {
  // 5,000 items: a rule's batch is shared among its items, each share well under 0.05 ms.
  const rows = Array.from(
    { length: 5000 },
    (_, item) => `m${item},${item % 2 ? 'free prize' : 'hi mum'}`,
  );
  const data = write('data.csv', `id,text\n${rows.join('\n')}\n`);
  const card = write(
    'card.yaml',
    `name: Fast\ndata: { path: ${data} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham] }\n`,
  );
  const run = join(project, 'runs', 'fast');
  expect((await runMain(['evaluate', card, '--out', run, '--no-cache', '--quiet'])).code).toBe(0);
  const [line] = readFileSync(join(run, 'results.jsonl'), 'utf8').split('\n');
  const latency = JSON.parse(line!).latency_ms as number;
  expect(latency).toBeGreaterThan(0);
  expect(latency).toBeLessThan(0.05);
  const viewer = await startViewer({ root: join(project, 'runs'), port: 0 });
  try {
    const page = await (await fetch(new URL('/run/fast/item/m0', viewer.url))).text();
    expect(page).toContain('<dt>latency</dt><dd>&lt;0.1 ms</dd>');
  } finally {
    await viewer.close();
  }
});
