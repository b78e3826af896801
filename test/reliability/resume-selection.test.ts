// A resume given a smaller --limit (or another --sample) than its run: the results of the items it
// left out stayed in results.jsonl and the metrics while the summary counted the new selection
// ("3 items, 5 results"). Now refused, saying how to go on; a larger --limit still continues.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, storedResults, workDir } from './harness.js';

it('a resume narrower than its run is refused; a wider one continues, counts matching by hand', async () => {
  const dir = workDir('resume-selection');
  const rows = Array.from({ length: 8 }, (_, index) => `${index + 1},item ${index + 1} refund,yes`);
  writeFileSync(join(dir, 'data.csv'), `id,text,label\n${rows.join('\n')}\n`);
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Sel\ndata:\n  path: data.csv\nscores:\n  - name: Refund\n    class: heuristic/keywords\n    labels: [yes, no]\n    label_column: label\n    phrases: [refund]\n',
  );
  const out = join(dir, 'run');
  expect((await runCli(['evaluate', card, '--out', out, '--limit', '5', '--quiet'])).code).toBe(0);
  for (const narrower of [
    ['--limit', '3'],
    ['--sample', '3'],
  ]) {
    const refused = await runCli(['evaluate', card, '--resume', out, ...narrower, '--quiet']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/would (leave out items|stay in results\.jsonl)/);
    expect(refused.stderr).toContain('start a new run with --out');
  }
  // Nothing was lost or added by the refusals: still the 5 first items.
  expect(storedResults(out).map((line) => line.item)).toEqual(['1', '2', '3', '4', '5']);
  const wider = await runCli(['evaluate', card, '--resume', out, '--limit', '7', '--json']);
  expect(wider.code, wider.stderr).toBe(0);
  const summary = JSON.parse(wider.stdout) as { items: number; results: number };
  // Hand count: the first 7 of 8 rows, one result each.
  expect(summary).toMatchObject({ items: 7, results: 7 });
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
    items: number;
    scores: Record<string, { n: number }>;
  };
  expect(metrics.items).toBe(7);
  expect(metrics.scores.Refund!.n).toBe(7);
});
