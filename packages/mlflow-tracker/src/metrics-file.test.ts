import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, loadScorecard, TrackerError } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { describe, expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { syncRun } from './run-sync.js';

// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');

describe('plexus mlflow sync of a run whose metrics.json is broken', () => {
  it('refuses with the file and the fix, where it synced no metrics without a word (or died)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-sync-metrics-file-'));
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      'name: Sync Metrics File\nscores:\n  - { name: Free, class: test/contains, word: free, labels: [spam, ham], label_column: label }\n',
    );
    writeFileSync(join(dir, 'data.csv'), 'id,text,label\n1,free cash,spam\n2,hi mum,ham\n');
    const good = join(dir, 'good');
    await evaluate({
      scorecard: await loadScorecard(card, { plugins: [testPlugin] }),
      data: join(dir, 'data.csv'),
      outDir: good,
    });
    const client = new MlflowClient({ trackingUri: server.uri });
    const experimentName = 'plexus/sync metrics file';
    const broken = {
      'not-json': '{"scores": {"Free": {"n": 2',
      empty: '{}',
      'null-score': '{"scores": {"Free": null}}',
    };
    for (const [name, text] of Object.entries(broken)) {
      const copy = join(dir, name);
      cpSync(good, copy, { recursive: true });
      writeFileSync(join(copy, 'metrics.json'), text);
      const sync = syncRun(copy, { client, experimentName });
      await expect(sync, name).rejects.toThrow(TrackerError);
      await expect(sync, name).rejects.toThrow(
        `${join(copy, 'metrics.json')} ${name === 'not-json' ? 'cannot be read' : 'holds no per-score metrics'}`,
      );
      await expect(sync, name).rejects.toThrow(`plexus evaluate SCORECARD --resume ${copy}`);
    }
    // The folder itself syncs, with its metrics.
    const synced = await syncRun(good, { client, experimentName });
    const run = await client.getRun(synced.runId);
    expect(run.data?.metrics?.find((metric) => metric.key === 'Free.accuracy')?.value).toBe(1);
  });
});
