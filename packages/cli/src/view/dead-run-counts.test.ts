import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain, writeSlowPackage } from '../test-packages.js';
import { startViewer, type Viewer } from './server.js';

// A run killed with SIGKILL (as the kernel's OOM killer does) never writes its counts: run.json
// keeps the zeros it started with. The list and the run page must not print that 0 as its items.
const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-dead-run-'));
const root = join(project, 'runs');
const run = join(root, 'killed');
let viewer: Viewer;
let itemsWithResults = 0;

/** The whole lines of results.jsonl: a SIGKILL during a write leaves a last line cut short. */
function lines(): string[] {
  if (!existsSync(join(run, 'results.jsonl'))) return [];
  const text = readFileSync(join(run, 'results.jsonl'), 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean);
}

beforeAll(async () => {
  writeSlowPackage(project);
  mkdirSync(root);
  const rows = Array.from(
    { length: 2000 },
    (_, index) => `n${index},${index},${index % 2 ? 'odd' : 'even'}`,
  );
  writeFileSync(join(project, 'numbers.csv'), `id,text,Parity\n${rows.join('\n')}\n`);
  writeFileSync(
    join(project, 'slow.yaml'),
    'name: Slow\nscores:\n  - { name: Parity, class: plexus-score-slow/parity, labels: [even, odd], delay_ms: 40 }\n',
  );
  const child = spawn(
    process.execPath,
    [bin, 'evaluate', 'slow.yaml', '--data', 'numbers.csv', '--out', run, '--no-cache', '--quiet'],
    { cwd: project, env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') } },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (lines().length < 50 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill('SIGKILL');
  await exited;
  // By hand: the distinct items of the lines on disk (one score: one line per item).
  itemsWithResults = new Set(
    lines().map((line) => (JSON.parse(line) as { item_id: string }).item_id),
  ).size;
  viewer = await startViewer({ root, port: 0 });
}, 90_000);

afterAll(async () => {
  await viewer?.close();
});

describe('a run killed before its end', () => {
  it('was cut short with results on disk and zeros in run.json (the premise)', () => {
    expect(itemsWithResults).toBeGreaterThanOrEqual(50);
    expect(itemsWithResults).toBeLessThan(2000);
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'running', ended_at: null, counts: { items: 0 } });
  });

  it('plexus runs lists its items as unknown (null, "—"), not 0', async () => {
    const json = await runMain(['runs', root, '--json']);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout).runs as {
      name: string;
      status: string;
      items: unknown;
    }[];
    expect(listed).toEqual([
      expect.objectContaining({ name: 'killed', status: 'interrupted', items: null }),
    ]);
    const table = await runMain(['runs', root]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/killed\s+Slow\s+\S+ \S+\s+interrupted\s+—/);
  });

  it('the run page says the items are unknown and how many have results', async () => {
    const html = await (await fetch(new URL('/run/killed', viewer.url))).text();
    expect(html).toContain(
      `items: unknown (the run ended without counting them; ${itemsWithResults} have results so far)`,
    );
    expect(html).not.toContain('items: 0<');
  });
});
