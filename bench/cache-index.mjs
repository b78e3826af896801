// The response/result cache's index memory at 1,000,000 entries: a cache folder is written once,
// then a new process opens it (one lookup indexes every log) and the memory it grew by (heap and
// typed arrays) is measured after a full GC. Run: node --expose-gc bench/cache-index.mjs [entries]

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectoryCache } from '@plexus/core';

const entries = Number(process.argv[2] ?? 1_000_000);
const key = (n) => createHash('sha256').update(String(n)).digest('hex');

if (process.argv[3]) {
  // The measuring child: open the folder, index it, report the heap growth.
  globalThis.gc();
  // The heap and typed arrays' memory (the index keeps hex keys in typed arrays, off the heap).
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = used();
  const started = performance.now();
  const cache = new DirectoryCache(process.argv[3]);
  const hit = cache.getNow(key(entries - 1));
  const indexMs = performance.now() - started;
  globalThis.gc();
  const after = used();
  let hits = 0;
  const lookups = performance.now();
  for (let n = 0; n < 100_000; n += 1) if (cache.getNow(key((n * 7919) % entries))) hits += 1;
  const lookupMs = performance.now() - lookups;
  process.stdout.write(
    JSON.stringify({ bytes: after - before, indexMs, hit: hit?.label, hits, lookupMs }),
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-cache-index-'));
  const cache = new DirectoryCache(join(dir, 'results'));
  const writing = performance.now();
  for (let n = 0; n < entries; n += 1) {
    cache.set(key(n), { value: 'spam', status: 'ok', label: `label-${n}` });
    if (n % 10_000 === 9_999) cache.flush();
  }
  cache.close();
  const writeS = (performance.now() - writing) / 1000;
  const child = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), String(entries), join(dir, 'results')],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const measured = JSON.parse(child);
  console.log(
    JSON.stringify({
      entries,
      write_s: Number(writeS.toFixed(1)),
      index_s: Number((measured.indexMs / 1000).toFixed(2)),
      index_heap_mb: Number((measured.bytes / 2 ** 20).toFixed(1)),
      bytes_per_entry: Math.round(measured.bytes / entries),
      last_entry_found: measured.hit === `label-${entries - 1}`,
      random_hits: `${measured.hits}/100000`,
      lookups_per_s: Math.round(100_000 / (measured.lookupMs / 1000)),
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}
