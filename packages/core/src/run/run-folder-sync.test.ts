import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { resultLine, runInfo } from './result-line-fixture.js';
import { RunFolder, type RunInfo } from './run-folder.js';

const info = runInfo({ Spam: 'f' });

it('startSync writes the waiting lines at once; close after it ends the run with every line', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'plexus-run-folder-sync-')), 'run');
  const folder = await RunFolder.create(dir, structuredClone(info), { path: 'c.yaml', source: '' });
  const stored = () => readFileSync(join(dir, 'results.jsonl'), 'utf8');
  for (let index = 0; index < 10; index += 1) folder.append(resultLine(`item-${index}`));
  // Free lines wait for a group (256) or 200 ms.
  expect(stored()).toBe('');
  folder.startSync();
  expect(stored().split('\n')).toHaveLength(11);
  // Twice is harmless (the run's end may meet a folder already syncing).
  folder.startSync();
  folder.info.status = 'completed';
  await folder.close();
  const lines = stored()
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { item_id: string });
  expect(lines.map((line) => line.item_id)).toEqual(
    Array.from({ length: 10 }, (_, index) => `item-${index}`),
  );
  const ended = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunInfo;
  expect(ended.status).toBe('completed');
  // The lock is released: the folder can be resumed.
  const resumed = await RunFolder.resume(dir, { Spam: 'f' }, () => {});
  expect(resumed.stored.outputs.size).toBe(10);
  await resumed.folder.close();
});
