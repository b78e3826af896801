import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ResultLine } from './result-line.js';
import { runInfo } from './result-line-fixture.js';
import { RunFolder, type RunInfo } from './run-folder.js';

function line(item: string, llmCalls: number): ResultLine {
  return {
    item_id: item,
    score: 'S',
    value: 'yes',
    status: 'ok',
    label: null,
    correct: null,
    explanation: null,
    confidence: null,
    cost_usd: llmCalls * 0.001,
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: llmCalls,
    retries: 0,
    latency_ms: 1,
    cached: false,
    error: null,
  };
}

const info = runInfo({ S: 'f' });

it('a paid line is in the file when append returns (no await between), free lines batched before it', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'plexus-run-folder-')), 'run');
  const folder = await RunFolder.create(dir, structuredClone(info), { path: 'c.yaml', source: '' });
  const stored = () => readFileSync(join(dir, 'results.jsonl'), 'utf8');
  folder.append(line('free-1', 0));
  expect(stored()).toBe('');
  folder.append(line('paid-1', 1));
  // Synchronously, before any await: both lines, in order, reached the kernel.
  expect(
    stored()
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text).item_id),
  ).toEqual(['free-1', 'paid-1']);
  folder.append(line('free-2', 0));
  await folder.close();
  expect(stored().trim().split('\n')).toHaveLength(3);
});

it('resume with retryErrors drops errors and the skips downstream of them, keeps ok lines, once each', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'plexus-run-folder-')), 'run');
  const fingerprints = { A: 'fa', B: 'fb', C: 'fc' };
  const folder = await RunFolder.create(
    dir,
    { ...structuredClone(info), fingerprints },
    { path: 'c.yaml', source: '' },
  );
  const lineOf = (item: string, score: string, status: ResultLine['status']) => ({
    ...line(item, 0),
    score,
    status,
    value: status === 'ok' ? 'yes' : null,
  });
  const written = [
    lineOf('1', 'A', 'error'),
    lineOf('1', 'B', 'skipped'), // skipped because A failed: retried with A
    lineOf('1', 'C', 'skipped'), // does not depend on A: kept
    lineOf('2', 'A', 'ok'),
    lineOf('2', 'B', 'ok'),
    lineOf('2', 'A', 'ok'), // a repeated line: dropped
    lineOf('3', 'C', 'error'),
  ];
  for (const entry of written) folder.append(entry);
  await folder.close();
  const kept: string[] = [];
  const resumed = await RunFolder.resume(
    dir,
    fingerprints,
    (entry) => kept.push(`${entry.item_id}:${entry.score}:${entry.status}`),
    { retryErrors: true, dependsOn: new Map([['B', ['A']]]) },
  );
  expect(kept).toEqual(['1:C:skipped', '2:A:ok', '2:B:ok']);
  expect([...resumed.stored.outputs.keys()].sort()).toEqual(['1', '2']);
  await resumed.folder.close();
  const file = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
  expect(file.map((text) => JSON.parse(text).item_id + JSON.parse(text).score)).toEqual([
    '1C',
    '2A',
    '2B',
  ]);
});

it('an abrupt end that cannot count its lines says the counts are unknown, never shows stale ones', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'plexus-run-folder-')), 'run');
  // Counts left by an earlier end of the same folder (a resumed run): not this end's figures.
  const earlier = { ...structuredClone(info), counts: { ...info.counts, items: 7, results: 7 } };
  const folder = await RunFolder.create(dir, earlier, { path: 'c.yaml', source: '' });
  folder.append(line('paid-1', 1));
  // The results file is gone when the run is abandoned: nothing to count.
  rmSync(join(dir, 'results.jsonl'));
  folder.abandon('interrupted', 'a second Ctrl-C');
  const ended = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunInfo;
  expect(ended.status).toBe('interrupted');
  expect(ended.counts_unknown).toMatch(/results\.jsonl could not be counted/);
});
