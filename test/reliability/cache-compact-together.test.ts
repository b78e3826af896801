import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const logs = 40;
const perLog = 3000;

/** A results cache of 40 logs untouched for two hours, 3,000 distinct entries each. */
function oldCache(): { dir: string; expected: Map<string, string> } {
  const dir = workDir('compact-together');
  const logDir = join(dir, 'results', 'log');
  mkdirSync(logDir, { recursive: true });
  const expected = new Map<string, string>();
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  for (let log = 0; log < logs; log += 1) {
    let text = '';
    for (let entry = 0; entry < perLog; entry += 1) {
      const key = createHash('sha256').update(`${log}:${entry}`).digest('hex');
      const value = JSON.stringify({ value: entry % 2 ? 'yes' : 'no', log, entry });
      expected.set(key, value);
      text += `${key}\t${value}\n`;
    }
    const path = join(logDir, `l${String(log).padStart(3, '0')}-1-abcdef.jsonl`);
    writeFileSync(path, text);
    utimesSync(path, twoHoursAgo, twoHoursAgo);
  }
  return { dir, expected };
}

/** Every entry of the folder's logs, the last line of a key winning (as a cache reads them). */
function entries(dir: string): Map<string, string> {
  const logDir = join(dir, 'results', 'log');
  const found = new Map<string, string>();
  for (const name of readdirSync(logDir)
    .filter((file) => file.endsWith('.jsonl'))
    .sort())
    for (const line of readFileSync(join(logDir, name), 'utf8').split('\n'))
      if (line) found.set(line.slice(0, 64), line.slice(65));
  return found;
}

describe('plexus cache compact run several times at once', () => {
  it('ends each one cleanly, keeps every entry and leaves no temporary file', async () => {
    const { dir, expected } = oldCache();
    expect(expected.size).toBe(logs * perLog); // by hand: 40 logs of 3,000 distinct keys
    const runs = await Promise.all(
      [1, 2, 3].map(() => runCli(['cache', 'compact', '--cache-dir', dir])),
    );
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/ENOENT|\n\s+at /);
      expect(run.code).toBe(0);
    }
    // One merged log: the compactions that found another at work left the folder to it (three
    // at once each wrote a merged log of all 120,000 entries: three times the bytes).
    const names = readdirSync(join(dir, 'results', 'log'));
    expect(names.filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
    expect(names.filter((name) => !name.endsWith('.jsonl'))).toEqual([]); // no .tmp, no lock
    expect(entries(dir)).toEqual(expected);
    const stats = await runCli(['cache', 'stats', '--cache-dir', dir, '--json']);
    expect(JSON.parse(stats.stdout)[0].entries).toBe(logs * perLog);
  });

  it('removes the temporary file of a compaction killed long ago, not one being written', async () => {
    const { dir, expected } = oldCache();
    const logDir = join(dir, 'results', 'log');
    const dead = join(logDir, '0-compacted-mxaaaaaa-999999.jsonl.tmp');
    const live = join(logDir, '0-compacted-mxbbbbbb-999998.jsonl.tmp');
    writeFileSync(dead, 'x'.repeat(1000));
    writeFileSync(live, 'y'.repeat(1000));
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(dead, anHourAgo, anHourAgo);
    const run = await runCli(['cache', 'compact', '--cache-dir', dir]);
    expect(run.code).toBe(0);
    const names = readdirSync(logDir);
    expect(names).not.toContain('0-compacted-mxaaaaaa-999999.jsonl.tmp');
    expect(names).toContain('0-compacted-mxbbbbbb-999998.jsonl.tmp');
    expect(entries(dir)).toEqual(expected);
  });
});
