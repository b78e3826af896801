// MLflow sync logs what run.json recorded about the data (the dataset's SHA-256 and rows, the gold
// digests), never a hash taken at sync; a run left `running` by a dead process syncs as KILLED
// (interrupted), one whose writer still runs is refused.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, loadScorecard, TrackerError } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { syncRun } from './run-sync.js';

const spamTest = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));
// One server for the package's files (src/testing/mlflow-global-setup.ts).
const client = new MlflowClient({ trackingUri: inject('mlflowServer').uri, retryDelayMs: 50 });

async function finishedRun(): Promise<{ dir: string; data: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-provenance-'));
  const data = join(dir, 'data.csv');
  copyFileSync(spamTest, data);
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Provenance\nscores:\n  - { name: Free, class: test/contains, word: free, labels: [spam, ham], label_column: label }\n',
  );
  const scorecard = await loadScorecard(join(dir, 'card.yaml'), { plugins: [testPlugin] });
  await evaluate({ scorecard, data, outDir: join(dir, 'run'), cache: false });
  return { dir: join(dir, 'run'), data };
}

const tagsOf = (run: { data?: { tags?: { key: string; value?: string }[] } }) =>
  new Map((run.data?.tags ?? []).map((tag) => [tag.key, tag.value]));

it('logs the recorded SHA-256, rows and gold digests, not a hash of the file as it is at sync', async () => {
  const { dir, data } = await finishedRun();
  const recorded = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).data;
  expect(recorded.sha256).toMatch(/^[0-9a-f]{64}$/);
  // The file changes after the run: the sync must not pick that up.
  writeFileSync(data, 'id,text,label\n1,changed,spam\n');
  const synced = await syncRun(dir, { client });
  const run = await client.getRun(synced.runId);
  const tags = tagsOf(run);
  expect(tags.get('plexus.data.sha256')).toBe(recorded.sha256);
  expect(tags.get('plexus.data.rows')).toBe(String(recorded.rows));
  expect(JSON.parse(tags.get('plexus.gold_digests')!)).toEqual(recorded.gold);
  expect(run.inputs?.dataset_inputs?.[0]?.dataset).toMatchObject({
    digest: recorded.sha256.slice(0, 16),
  });
});

it('a run left running by a dead process syncs as interrupted (KILLED); a live writer is refused', async () => {
  const { dir } = await finishedRun();
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...info, status: 'running' }));
  const lock = (pid: number) =>
    writeFileSync(
      join(dir, 'run.lock'),
      JSON.stringify({ pid, host: hostname(), started_at: 'x', command: 'evaluate' }),
    );
  lock(process.pid);
  await expect(syncRun(dir, { client })).rejects.toThrow(TrackerError);
  const dead = Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout,
  );
  lock(dead);
  const synced = await syncRun(dir, { client });
  const run = await client.getRun(synced.runId);
  expect(run.info.status).toBe('KILLED');
  expect(tagsOf(run).get('plexus.status')).toBe('interrupted');
  // The stale lock is not an artifact of the run.
  const artifacts = (await client.listArtifacts(run.info.artifact_uri)).map((file) => file.path);
  expect(artifacts).toContain('run.json');
  expect(artifacts).not.toContain('run.lock');
});
