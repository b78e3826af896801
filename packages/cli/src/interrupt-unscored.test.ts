import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeSlowPackage } from './test-packages.js';

// Ctrl-C stops a run with items read but not scored: the summary's "N items" counts the items
// read, so under the table the summary says how many of them each score answered.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-interrupt-unscored-'));
writeSlowPackage(project);
const run = join(project, 'run');

function lines(): { item_id: string; score: string }[] {
  if (!existsSync(join(run, 'results.jsonl'))) return [];
  return readFileSync(join(run, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('an interrupted run', () => {
  it('says how many of the items read each score answered (hand count of results.jsonl)', async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, index) => `n${index},${index},${index % 2 ? 'odd' : 'even'}`,
    );
    writeFileSync(join(project, 'numbers.csv'), `id,text,Parity\n${rows.join('\n')}\n`);
    writeFileSync(
      join(project, 'slow.yaml'),
      'name: Slow\nscores:\n  - { name: Parity, class: plexus-score-slow/parity, labels: [even, odd], delay_ms: 40 }\n  - { name: Ones, class: heuristic/keywords, phrases: ["1"], whole_word: false, depends_on: [Parity] }\n',
    );
    const child = spawn(
      process.execPath,
      [bin, 'evaluate', 'slow.yaml', '--data', 'numbers.csv', '--out', run, '--no-cache'],
      { cwd: project, env: { ...process.env, PLEXUS_CACHE_DIR: join(project, 'cache') } },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 60_000;
    while (lines().length < 100 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    const read = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')).items as number;
    const answered = (score: string) => lines().filter((line) => line.score === score).length;
    // The premise: items were read that no score answered.
    expect(answered('Parity')).toBeLessThan(read);
    expect(stdout).toContain(`${read} items, `);
    expect(stdout).toContain(
      `The run stopped before every item read had a result: of the ${read} items read, Parity ${answered('Parity')}, Ones ${answered('Ones')} have one; --resume scores the rest`,
    );
  }, 90_000);
});
