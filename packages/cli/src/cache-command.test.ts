import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectoryCache } from '@plexus/core';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function plexus(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('plexus cache stats, compact and prune a cache folder written by three runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-cache-cli-'));
  const key = (n: number) => n.toString(16).padStart(64, '0');
  // Three writers of llm-responses: 0..39, 20..59 (20 rewritten), 50..79 (10 rewritten).
  for (const [from, to] of [
    [0, 40],
    [20, 60],
    [50, 80],
  ] as const) {
    const cache = new DirectoryCache<string>(join(dir, 'llm-responses'));
    for (let n = from; n < to; n += 1) await cache.set(key(n), `answer ${n}`);
    cache.close();
  }
  // Written two minutes ago: no run is writing them any more.
  const logs = join(dir, 'llm-responses', 'log');
  const past = new Date(Date.now() - 120_000);
  for (const name of readdirSync(logs)) utimesSync(join(logs, name), past, past);

  const stats = plexus(['cache', 'stats', '--cache-dir', dir, '--json']);
  expect(stats.code).toBe(0);
  expect(JSON.parse(stats.stdout)).toMatchObject([{ logs: 3, lines: 110, entries: 80 }]);

  const compacted = plexus(['cache', 'compact', '--cache-dir', dir]);
  expect(compacted.code).toBe(0);
  expect(compacted.stdout).toContain('llm-responses: 80 entries, 80 lines in 1 log file(s)');
  expect(readdirSync(logs)).toHaveLength(1);

  // Each line: 64 key characters, a tab, a JSON string of 11 or 12 characters, a newline.
  const pruned = plexus(['cache', 'prune', '--cache-dir', dir, '--max-size', '2KB']);
  expect(pruned.code).toBe(0);
  const after = JSON.parse(plexus(['cache', 'stats', '--cache-dir', dir, '--json']).stdout);
  expect(after[0].bytes).toBeLessThanOrEqual(2048);
  expect(after[0].bytes).toBeGreaterThan(2048 - 80);
  const reader = new DirectoryCache<string>(join(dir, 'llm-responses'));
  expect(reader.getNow(key(79))).toBe('answer 79');
  expect(reader.getNow(key(0))).toBeUndefined();

  const bad = plexus(['cache', 'prune', '--cache-dir', dir, '--max-size', 'lots']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--max-size');
  const none = plexus(['cache', 'stats', '--cache-dir', join(dir, 'nothing')]);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('holds no cache');
});
