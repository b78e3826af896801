// A resume given a smaller --limit (or another --sample) than its run: the results of the items it
// left out stayed in results.jsonl and the metrics while the summary counted the new selection
// ("3 items, 5 results"). Now refused, saying how to go on; a larger --limit still continues.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
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

it("a resume whose results.jsonl holds another run's items fails saying so (the metrics counted them)", async () => {
  const dir = workDir('resume-strays');
  const rows = (from: number) =>
    Array.from({ length: 4 }, (_, index) => `${from + index},item ${from + index} refund,yes`);
  writeFileSync(join(dir, 'a.csv'), `id,text,label\n${rows(1).join('\n')}\n`);
  writeFileSync(join(dir, 'b.csv'), `id,text,label\n${rows(101).join('\n')}\n`);
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Sel\nscores:\n  - name: Refund\n    class: heuristic/keywords\n    labels: [yes, no]\n    label_column: label\n    phrases: [refund]\n',
  );
  const [a, b] = [join(dir, 'a'), join(dir, 'b')];
  expect((await runCli(['evaluate', card, '--data', join(dir, 'a.csv'), '--out', a])).code).toBe(0);
  expect((await runCli(['evaluate', card, '--data', join(dir, 'b.csv'), '--out', b])).code).toBe(0);
  // `cat b/results.jsonl >> a/results.jsonl`, to "merge" the runs.
  appendFileSync(join(a, 'results.jsonl'), readFileSync(join(b, 'results.jsonl')));
  const resumed = await runCli(['evaluate', card, '--resume', a]);
  expect(resumed.code, resumed.stderr).toBe(1);
  expect(resumed.stderr).toContain(
    `results.jsonl holds results of 4 item(s) that are not among the run's items ("101", "102", "103", and 1 more)`,
  );
  expect(resumed.stderr).toContain('remove the lines of the other items before a resume');
  const info = JSON.parse(readFileSync(join(a, 'run.json'), 'utf8')) as { status: string };
  expect(info.status).toBe('failed');
});
