import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { spamForest } from './spam-forest-fixture.js';
import { registerTrainedModels } from './trained-models.js';

// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');

// `plexus train --register` with MLflow gone after training: the models were written, and the
// error said "the run stays in its local folder: sync it later with plexus mlflow sync <run-dir>",
// which registers nothing (there is no run folder).
it('models trained but not registered: says which were, and the command that registers each of the others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-register-down-'));
  const first = join(dir, 'first model.json');
  const second = join(dir, 'second.json');
  const forest = await spamForest();
  copyFileSync(forest, first);
  copyFileSync(forest, second);
  // MLflow answers until the first model's alias is set, then no more (connection refused).
  let gone = false;
  const client = new MlflowClient({
    trackingUri: server.uri,
    attempts: 1,
    fetch: async (url, init) => {
      if (gone) throw new TypeError('fetch failed');
      const response = await fetch(url, init);
      if (String(url).includes('registered-models/alias')) gone = true;
      return response;
    },
  });
  const trained = [
    { name: 'Spam Forest', modelPath: first, trainItems: 10, metrics: null },
    { name: 'Ham Forest', modelPath: second, trainItems: 10, metrics: null },
  ];
  const failure = registerTrainedModels({
    client,
    trained,
    scorecardKey: 'down',
    alias: 'champion',
  });
  await expect(failure).rejects.toThrow(
    `the model was trained and written but not registered (MLflow at ${server.uri} is unreachable (fetch failed)); registered before it: models:/down.spam-forest/1. Register it once MLflow answers with:\n  plexus mlflow register ${second} --name down.ham-forest --alias champion`,
  );
  await expect(failure).rejects.not.toThrow(/mlflow sync/);
  gone = false;
  const nothing = registerTrainedModels({
    client: new MlflowClient({ trackingUri: 'http://127.0.0.1:9', attempts: 1 }),
    trained,
    scorecardKey: 'down',
  });
  await expect(nothing).rejects.toThrow(
    `2 models were trained and written but not registered (MLflow at http://127.0.0.1:9 is unreachable (fetch failed)). Register them once MLflow answers with:\n  plexus mlflow register '${first}' --name down.spam-forest\n  plexus mlflow register ${second} --name down.ham-forest`,
  );
});
