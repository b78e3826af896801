import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { registerModel } from './model-registry.js';
import { mlflowModelResolver, resolvedModels, resolveModelUri } from './model-resolver.js';
import { spamForest } from './spam-forest-fixture.js';

// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');

/** Two model files of the same kind with other bytes: a spam forest, and it with a space. */
async function twoModels(): Promise<{ first: string; second: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-identity-'));
  const text = readFileSync(await spamForest(), 'utf8');
  const first = join(dir, 'first.forest.json');
  const second = join(dir, 'second.forest.json');
  writeFileSync(first, text);
  writeFileSync(second, `${text} `);
  return { first, second };
}

it('a name deleted and registered again (version 1 again, other files) is downloaded again, not read from the cache', async () => {
  const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
  const { first, second } = await twoModels();
  const name = 'identity-forest';
  const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-cache-'));
  await registerModel({ client, file: first, name, alias: 'champion' });
  const before = await resolveModelUri(`models:/${name}@champion`, { client, cacheDir });
  expect(readFileSync(before).equals(readFileSync(first))).toBe(true);

  // The registry's own way to start a name again: delete it, register anew (MLflow 3's REST API).
  const deleted = await fetch(`${server.uri}/api/2.0/mlflow/registered-models/delete`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(deleted.status).toBe(200);
  const again = await registerModel({ client, file: second, name, alias: 'champion' });
  expect(again.version).toBe('1');
  const after = await resolveModelUri(`models:/${name}/1`, { client, cacheDir });
  expect(after).toBe(before);
  // It read the first file from the cache: the scores were the deleted model's, without a word.
  expect(readFileSync(after).equals(readFileSync(second))).toBe(true);
  expect(resolvedModels().get(`models:/${name}/1`)).toEqual({ name, version: '1', path: after });
});

it('a downloaded file that is not the one registered (its plexus.model_sha256) is refused and removed', async () => {
  const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
  const { first, second } = await twoModels();
  const name = 'identity-replaced';
  const version = await registerModel({ client, file: first, name });
  // The version's artifact replaced on the server after registration.
  const source = (await client.getModelVersion(name, version.version)).source!;
  await client.uploadArtifact(
    source.replace(/\/model$/, ''),
    'model/model.json',
    readFileSync(second),
  );
  const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-cache-'));
  const uri = `models:/${name}/${version.version}`;
  await expect(resolveModelUri(uri, { client, cacheDir })).rejects.toThrow(
    /not the [0-9a-f]{12}\.\.\. registered with the version .*nothing was scored with it/,
  );
  const folder = join(cacheDir, 'mlflow-models', name, version.version);
  expect(existsSync(folder)).toBe(false);
  expect(existsSync(dirname(folder))).toBe(true);
});

it('a deleted version, an alias gone with it, a name never registered: said with the versions there are and the fix', async () => {
  const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
  const { first, second } = await twoModels();
  const name = 'identity-gone';
  await registerModel({ client, file: first, name });
  await registerModel({ client, file: second, name, alias: 'champion' });
  const deleted = await fetch(`${server.uri}/api/2.0/mlflow/model-versions/delete`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, version: '2' }),
  });
  expect(deleted.status).toBe(200);
  const cacheDir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-cache-'));
  // It was MLflow's answer: `answered 400: {"error_code": "INVALID_PARAMETER_VALUE", ...}`.
  await expect(resolveModelUri(`models:/${name}@champion`, { client, cacheDir })).rejects.toThrow(
    `models:/${name}@champion: "${name}" has no alias "champion" (never set, or its version was deleted); its versions: 1; point it at one with: plexus mlflow alias ${name} champion VERSION`,
  );
  await expect(resolveModelUri(`models:/${name}/2`, { client, cacheDir })).rejects.toThrow(
    `models:/${name}/2: "${name}" has no version 2 (deleted?); its versions: 1; name one of them, or an alias (models:/${name}@champion)`,
  );
  await expect(
    resolveModelUri('models:/never-registered@champion', { client, cacheDir }),
  ).rejects.toThrow(
    `models:/never-registered@champion: no model "never-registered" is registered on ${server.uri} (deleted, or on another server?); register one with: plexus mlflow register FILE --name never-registered --alias champion`,
  );
});

it('one version named twice at once (an alias and its number, as a champion beside a pinned score) is downloaded once', async () => {
  const { first } = await twoModels();
  const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
  const version = await registerModel({
    client,
    file: first,
    name: 'identity-twice',
    alias: 'champion',
  });
  // Both wrote into one staging folder and failed (ENOENT ... rename), 10 times in 10.
  for (let round = 0; round < 3; round += 1) {
    const resolve = mlflowModelResolver({
      trackingUri: server.uri,
      cacheDir: mkdtempSync(join(tmpdir(), 'plexus-mlflow-cache-')),
    });
    const [byAlias, byNumber] = await Promise.all([
      resolve('models:/identity-twice@champion'),
      resolve(`models:/identity-twice/${version.version}`),
    ]);
    expect(byAlias).toBe(byNumber);
    expect(readFileSync(byAlias).equals(readFileSync(first))).toBe(true);
  }
});
