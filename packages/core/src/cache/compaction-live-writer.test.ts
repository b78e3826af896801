// `plexus cache compact` while a run that has been quiet for over a minute (waiting on a batch API)
// still holds its log open: the merge removed the log, and what the run wrote next went into the
// removed file, lost. Now the run sees its log gone and writes a new one.
import { mkdtempSync, readdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compactCacheFolder } from './cache-compaction.js';
import { DirectoryCache } from './directory-cache.js';

const key = (n: number) => n.toString(16).padStart(64, '0');

it('entries written after a compaction removed the open log are kept', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-compact-live-'));
  const finished = new DirectoryCache<string>(folder);
  await finished.set(key(0), 'from a finished run');
  finished.close();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const running = new DirectoryCache<string>(folder);
  await running.set(key(1), 'before the compaction');
  // Both logs untouched for two minutes: the compaction merges them and removes both.
  const logs = join(folder, 'log');
  const old = new Date(Date.now() - 120_000);
  for (const name of readdirSync(logs)) utimesSync(join(logs, name), old, old);
  expect(compactCacheFolder(folder)).toMatchObject({ merged: 2 });
  await running.set(key(2), 'after the compaction');
  running.close();
  const reader = new DirectoryCache<string>(folder);
  expect([0, 1, 2].map((n) => reader.getNow(key(n)))).toEqual([
    'from a finished run',
    'before the compaction',
    'after the compaction',
  ]);
  reader.close();
});
