import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as forestPlugin } from '@plexus/classifier-forest';
import { evaluate, loadScorecard } from '@plexus/core';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { mlflowTracker } from './mlflow-tracker.js';
import { registerModel } from './model-registry.js';
import { mlflowModelResolver } from './model-resolver.js';
import { spamForest } from './spam-forest-fixture.js';

// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');
const spam = fileURLToPath(new URL('../../../examples/spam/', import.meta.url));

it('an evaluation of a models:/ alias is tagged with the version that scored (plexus.models)', async () => {
  const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
  const file = await spamForest();
  await registerModel({ client, file, name: 'tagged-forest' });
  await registerModel({ client, file, name: 'tagged-forest', alias: 'champion' });
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-tagged-'));
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Tagged\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: "models:/tagged-forest@champion" }\n',
  );
  const scorecard = await loadScorecard(join(dir, 'card.yaml'), {
    plugins: [forestPlugin],
    resolveModel: mlflowModelResolver({ trackingUri: server.uri, cacheDir: join(dir, 'cache') }),
  });
  const tracker = mlflowTracker({ uri: server.uri });
  await evaluate({
    scorecard,
    data: join(spam, 'data/test.csv'),
    outDir: join(dir, 'run'),
    cache: false,
    sinks: [tracker],
  });
  const run = await client.getRun(tracker.outcome!.runId!);
  const tags = new Map((run.data?.tags ?? []).map((tag) => [tag.key, tag.value]));
  // The param keeps the URI as written; which version that was is only in the tag.
  expect(run.data?.params?.find((param) => param.key === 'score.Forest.model')?.value).toBe(
    'models:/tagged-forest@champion',
  );
  expect(JSON.parse(tags.get('plexus.models')!)).toEqual({ 'models:/tagged-forest@champion': '2' });
});
