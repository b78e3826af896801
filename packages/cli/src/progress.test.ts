import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './output.js';
import { duration, Progress } from './progress.js';
import { progressTotal } from './progress-total.js';

function capture(isTty: boolean) {
  const written: string[] = [];
  const io: CliIo = { stdout: () => {}, stderr: (text) => written.push(text), isTty };
  return { io, written };
}

const line = (score: string, latency: number, status = 'ok') => ({
  score,
  status,
  latency_ms: latency,
  cached: false,
});

describe('Progress', () => {
  it('off a terminal, prints a line every 5 s with the total, the ETA and the slowest score', () => {
    let clock = 0;
    const { io, written } = capture(false);
    const progress = new Progress({ io, enabled: true, scoresPerItem: 2, now: () => clock });
    progress.setTotal({ items: 100, exact: true });
    // 20 items (40 results) in the first 4 s: no line yet.
    for (let index = 0; index < 20; index += 1) {
      clock += 200;
      progress.update(line('Rules', 1));
      progress.update(line('LLM judge', 150, index === 3 ? 'error' : 'ok'));
    }
    expect(written).toEqual([]);
    clock = 5000;
    progress.update(line('Rules', 1));
    // 41 results = 20 items of 100 in 5 s: 80 left at 4 items/s = 20 s.
    expect(written).toEqual([
      'progress: 20/100 items (20%) · ETA 20 s · 1 error · 8 results/s · slowest: LLM judge (150 ms per call)\n',
    ]);
    clock = 6000;
    progress.update(line('Rules', 1));
    expect(written).toHaveLength(1);
  });

  it('says "about" for a count that may be off, and nothing at all when disabled', () => {
    let clock = 0;
    const { io, written } = capture(false);
    const progress = new Progress({
      io,
      enabled: true,
      scoresPerItem: 1,
      total: { items: 1000, exact: false },
      now: () => clock,
    });
    clock = 10_000;
    progress.update(line('Only', 5));
    expect(written[0]).toBe(
      'progress: 1/about 1000 items (0%) · ETA about 2 h 46 min · 0 errors · 0 results/s\n',
    );
    const quiet = capture(false);
    const off = new Progress({ io: quiet.io, enabled: false, scoresPerItem: 1, now: () => clock });
    clock = 20_000;
    off.update(line('Only', 5));
    off.done();
    expect(quiet.written).toEqual([]);
  });

  it('on a terminal, redraws one line with a bar and ends it', () => {
    let clock = 0;
    const { io, written } = capture(true);
    const progress = new Progress({
      io,
      enabled: true,
      scoresPerItem: 1,
      total: { items: 4, exact: true },
      now: () => clock,
    });
    clock = 200;
    progress.update(line('Only', 5));
    expect(written[0]).toMatch(/^\r█████░{15} 1\/4 items \(25%\) · ETA 1 s · /);
    progress.done();
    expect(written.at(-1)).toBe('\n');
    expect(duration(3725)).toBe('1 h 02 min');
    expect(duration(65)).toBe('1 min 05 s');
  });
});

describe('progressTotal', () => {
  it('is --sample, else the dataset rows counted (at most --limit), and none on resume', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-progress-'));
    writeFileSync(
      join(folder, 'data.csv'),
      `id,text\n${Array.from({ length: 10 }, (_, index) => `${index},"row\n${index}"`).join('\n')}\n`,
    );
    const card = { baseDir: folder, data: { path: 'data.csv' } } as never;
    expect(await progressTotal(card, {})).toEqual({ items: 10, exact: true });
    expect(await progressTotal(card, { limit: 3 })).toEqual({ items: 3, exact: true });
    expect(await progressTotal(card, { limit: 50 })).toEqual({ items: 10, exact: true });
    expect(await progressTotal(card, { sample: 4 })).toEqual({ items: 4, exact: true });
    expect(await progressTotal(card, { resume: 'runs/x' })).toBeUndefined();
    const missing = { baseDir: folder, data: { path: 'missing.csv' } } as never;
    expect(await progressTotal(missing, { limit: 7 })).toEqual({ items: 7, exact: false });
    expect(await progressTotal(missing, {})).toBeUndefined();
  });
});
