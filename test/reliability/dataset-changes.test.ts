// A dataset file that changes while `plexus evaluate` reads it (another job rewrites it, a sync
// client truncates it): the run is not reported complete. Before, a file truncated to 10 rows
// halfway through its read gave a "completed" run, exit 0, of the rows read before, the rest of
// the 6,000 gone without a word. A file renamed over is refused too; one touched, or appended to
// before the read reached its end, completes (the run read the file as it is).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, storedResults, workDir, writeScorePackage } from './harness.js';

const rows = 6000;

/** A project whose score changes the dataset (`DATASET_ACTION`) when it scores the first item. */
function project(name: string): { card: string; data: string; dir: string } {
  const dir = workDir(`dataset-changes-${name}`);
  writeScorePackage(
    dir,
    'plexus-score-changer',
    `import { appendFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
const change = {
  truncate: (path) => writeFileSync(path, 'id,text\\n' + Array.from({ length: 10 }, (_, i) => (i + 1) + ',short').join('\\n') + '\\n'),
  append: (path) => appendFileSync(path, '${rows + 1},one more\\n'),
  touch: (path) => utimesSync(path, new Date(), new Date(Date.now() + 5000)),
  replace: (path) => { writeFileSync(path + '.new', 'id,text\\n1,another file\\n'); renameSync(path + '.new', path); },
};
let changed = false;
export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-changer',
  factories: [{
    specificationVersion: 'v1', kind: 'changer',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-changer/changer', name: env.name,
      labels: ['yes', 'no'], fingerprint: 'changer-1', maxBatchSize: 16,
      async doScore({ items }) {
        if (!changed) { changed = true; change[process.env.DATASET_ACTION](process.env.DATASET_PATH); }
        return items.map(() => ({ value: 'yes', status: 'ok' }));
      },
    }),
  }],
};
`,
  );
  const data = join(dir, 'data.csv');
  // 200 characters a row: 1.2 MB, ten reads of 128 KiB; the first item is scored after the first.
  const text = 'x'.repeat(200);
  writeFileSync(
    data,
    `id,text\n${Array.from({ length: rows }, (_, index) => `${index + 1},${text}`).join('\n')}\n`,
  );
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Changes\ndata:\n  path: data.csv\nscores:\n  - name: Changer\n    class: plexus-score-changer/changer\n    labels: [yes, no]\n',
  );
  return { card, data, dir };
}

function runInfo(out: string): { status: string; error: string | null } {
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
    status: string;
    error: string | null;
  };
}

describe('a dataset that changes while the run reads it', () => {
  for (const action of ['truncate', 'replace'] as const) {
    it(`${action}: the run fails saying the file changed, not completed`, async () => {
      const { card, data, dir } = project(action);
      const out = join(dir, 'run');
      const result = await runCli(['evaluate', card, '--out', out, '--no-cache', '--quiet'], {
        DATASET_ACTION: action,
        DATASET_PATH: data,
      });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`the dataset ${data} changed while it was read`);
      expect(result.stderr).toContain('they are of a dataset that changed');
      const info = runInfo(out);
      expect(info.status).toBe('failed');
      expect(info.error).toContain('changed while it was read');
      // Hand count: what was scored is not the file as it is now (10 rows, or 1).
      const now = readFileSync(data, 'utf8').trim().split('\n').length - 1;
      expect(now).toBe(action === 'truncate' ? 10 : 1);
      expect(storedResults(out).length).toBeGreaterThan(now);
    });
  }

  it('predict: the lines are out, then it says the file changed and exits 1 (it exited 0)', async () => {
    const { card, data } = project('predict');
    const result = await runCli(['predict', card, '--data', data], {
      DATASET_ACTION: 'truncate',
      DATASET_PATH: data,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the dataset ${data} changed while it was read`);
    expect(result.stderr).toContain('predict it again once the file no longer changes');
    // Hand count: more lines than the 10 rows the file has now, fewer than the 6,000 it had.
    const printed = result.stdout.trim().split('\n').length;
    expect(printed).toBeGreaterThan(10);
    expect(printed).toBeLessThan(rows);
  });

  // The run read the file as it is at its end: one version of it, every row.
  for (const [action, expected] of [
    ['touch', rows],
    ['append', rows + 1],
  ] as const) {
    it(`${action} before the read reached the end: the run completes with every row (${expected})`, async () => {
      const { card, data, dir } = project(action);
      const out = join(dir, 'run');
      const result = await runCli(['evaluate', card, '--out', out, '--no-cache', '--quiet'], {
        DATASET_ACTION: action,
        DATASET_PATH: data,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(runInfo(out).status).toBe('completed');
      expect(new Set(storedResults(out).map((line) => line.item)).size).toBe(expected);
    });
  }
});
