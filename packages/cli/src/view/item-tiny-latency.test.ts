import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fileWriter, runMain } from '../test-packages.js';
import { startViewer } from './server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-item-tiny-latency-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// A keyword rule answers a batch of items in well under a millisecond: each item's share (0.035 ms
// on 3,000 items here) read "latency 0.0 ms" on the item page, as an answer from the cache does.
it("the item page says a rule's latency under 0.05 ms is one, not 0.0 ms", async () => {
  const data = write('data.csv', 'id,text\nm1,free prize\nm2,hi mum\n');
  const card = write(
    'card.yaml',
    `name: Fast\ndata: { path: ${data} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham] }\n`,
  );
  const run = join(project, 'runs', 'fast');
  expect((await runMain(['evaluate', card, '--out', run, '--no-cache', '--quiet'])).code).toBe(0);
  // The batch's share as a loaded machine cannot be relied on to give it: set on m1's line.
  const results = join(run, 'results.jsonl');
  const lines = readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  for (const line of lines) line.latency_ms = line.item_id === 'm1' ? 0.035179 : 0;
  writeFileSync(results, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  const viewer = await startViewer({ root: join(project, 'runs'), port: 0 });
  try {
    const page = await (await fetch(new URL('/run/fast/item/m1', viewer.url))).text();
    expect(page).toContain('<dt>latency</dt><dd>&lt;0.1 ms</dd>');
    // A line of no time says 0.0.
    const none = await (await fetch(new URL('/run/fast/item/m2', viewer.url))).text();
    expect(none).toContain('<dt>latency</dt><dd>0.0 ms</dd>');
  } finally {
    await viewer.close();
  }
});
