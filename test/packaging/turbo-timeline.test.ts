// scripts/turbo-timeline.mjs against a run summary whose figures are counted by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/turbo-timeline.mjs', import.meta.url));

function timeline(summary: unknown, ...args: string[]) {
  const file = join(mkdtempSync(join(tmpdir(), 'plexus-timeline-')), 'run.json');
  writeFileSync(file, JSON.stringify(summary));
  return spawnSync(process.execPath, [script, file, ...args], { encoding: 'utf8' });
}

const task = (taskId: string, start: number, end: number, status = 'MISS') => ({
  taskId,
  cache: { status },
  execution: { startTime: 1_000_000 + start * 1000, endTime: 1_000_000 + end * 1000 },
});

it('prints the longest tasks with their start and end, and how busy the slots were', () => {
  // Span 0-100 s; durations 60 + 30 + 50 = 140 s of 3 x 100 slot-seconds (the default, as
  // `pnpm test`'s turbo --concurrency=3): 47%.
  const result = timeline({
    tasks: [
      task('a#build', 0, 60),
      task('b#typecheck', 0, 30, 'HIT'),
      task('c#test', 50, 100),
      { taskId: 'd#test', cache: { status: 'MISS' }, execution: {} },
    ],
  });
  expect(result.status).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^turbo: 3 tasks in 100\.0 s; slots busy 47% of 3 x the span/);
  expect(lines.slice(2).map((line) => line.trim().split(/\s+/))).toEqual([
    ['60.0', '0.0', '60.0', 'a#build'],
    ['50.0', '50.0', '100.0', 'c#test'],
    ['30.0', '0.0', '30.0', 'b#typecheck', '(cached)'],
  ]);
});

it('counts the slots it is told (--slots) and prints only --top tasks', () => {
  const result = timeline(
    { tasks: [task('a#build', 0, 60), task('c#test', 50, 100)] },
    '--slots',
    '1',
    '--top',
    '1',
  );
  // 110 s of 1 x 100 slot-seconds: 110% (more tasks at once than slots said).
  expect(result.stdout).toMatch(/slots busy 110% of 1 x the span/);
  expect(result.stdout.trim().split('\n')).toHaveLength(3);
});

it('says so when the summary holds no task that ran', () => {
  const result = timeline({ tasks: [] });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^turbo-timeline: no task ran in .*run\.json/);
});
