import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { TrackerError } from '@plexus/core';
import { parse } from 'yaml';
import { MlflowClient, type MlflowClientOptions, type ModelVersion } from './mlflow-client.js';
import { parseModelUri } from './model-registry.js';

/** A `models:/` URI as this process resolved it: the version it named then, and its local file. */
export interface ResolvedModel {
  name: string;
  version: string;
  path: string;
}

const resolvedInProcess = new Map<string, ResolvedModel>();

/**
 * The `models:/` URIs this process has resolved, with the version each named at the time and its
 * local file: what a run used, even if an alias has moved since (`plexus spark submit` hands
 * these files to its executors, so that every task scores with the version the driver loaded).
 */
export function resolvedModels(): ReadonlyMap<string, ResolvedModel> {
  return resolvedInProcess;
}

/**
 * What tells one registered version's files from another's under the same name and number: a
 * name deleted and registered again starts at version 1 again, with other files.
 */
function versionIdentity(version: ModelVersion): string {
  return JSON.stringify({
    run_id: version.run_id ?? null,
    created: version.creation_timestamp === undefined ? null : String(version.creation_timestamp),
    source: version.source ?? null,
  });
}

/** The identity a downloaded folder's `.complete` marker records; undefined for older markers. */
function downloadedIdentity(folder: string): string | undefined {
  try {
    const marker = JSON.parse(readFileSync(join(folder, '.complete'), 'utf8')) as {
      identity?: unknown;
    };
    return typeof marker.identity === 'string' ? marker.identity : undefined;
  } catch {
    return undefined;
  }
}

/** Downloads in progress in this process, by folder. */
const downloading = new Map<string, Promise<void>>();

/**
 * Downloads a version's files into `folder` once: two URIs of one version at once (a scorecard's
 * `@champion` beside the same version by number) share the download; each wrote into the same
 * staging folder and both failed (`ENOENT ... rename`).
 */
function downloadOnce(
  client: MlflowClient,
  version: ModelVersion,
  folder: string,
  uri: string,
): Promise<void> {
  let pending = downloading.get(folder);
  if (!pending) {
    pending = download(client, version, folder, uri).finally(() => downloading.delete(folder));
    downloading.set(folder, pending);
  }
  return pending;
}

let stagings = 0;

/**
 * Downloads a version's files into `folder` (staged, then renamed: never half a model). A copy of
 * the same version another process put there meanwhile is kept, this one dropped.
 */
async function download(
  client: MlflowClient,
  version: ModelVersion,
  folder: string,
  uri: string,
): Promise<void> {
  const source = await client.getDownloadUri(version.name, version.version);
  stagings += 1;
  const staging = `${folder}.${process.pid}-${stagings}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const file of await client.listArtifacts(source)) {
    if (file.isDir) continue;
    const target = inside(staging, file.path, uri);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await client.downloadArtifact(source, file.path));
  }
  const identity = versionIdentity(version);
  await writeFile(
    join(staging, '.complete'),
    `${JSON.stringify({ uri, version: version.version, identity })}\n`,
  );
  if (downloadedIdentity(folder) !== identity) {
    await rm(folder, { recursive: true, force: true });
    await mkdir(dirname(folder), { recursive: true });
    try {
      await rename(staging, folder);
      return;
    } catch (error) {
      if (downloadedIdentity(folder) !== identity) throw error;
    }
  }
  await rm(staging, { recursive: true, force: true });
}

/** Refuses a model file whose SHA-256 is not the one registered with the version (`plexus.model_sha256`). */
async function checkRegisteredHash(
  folder: string,
  path: string,
  version: ModelVersion,
  uri: string,
): Promise<void> {
  const registered = version.tags?.find((tag) => tag.key === 'plexus.model_sha256')?.value;
  if (!registered) return;
  const actual = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  if (actual === registered) return;
  await rm(folder, { recursive: true, force: true });
  throw new TrackerError(
    `${uri} (version ${version.version}): the file downloaded has SHA-256 ${actual.slice(0, 12)}..., not the ${registered.slice(0, 12)}... registered with the version (the server's artifact was replaced, or the download damaged); nothing was scored with it and the download is removed. Run again; if this repeats, register the model file again`,
  );
}

/**
 * The version a URI names; one the registry does not have (a deleted version, an alias gone with
 * it, a name never registered) is a `TrackerError` listing the name's versions and the fix, where
 * it was MLflow's answer (`answered 400: {"error_code": ...}`).
 */
async function registeredVersion(
  client: MlflowClient,
  parsed: ReturnType<typeof parseModelUri>,
  uri: string,
): Promise<ModelVersion> {
  try {
    return parsed.alias
      ? await client.getModelVersionByAlias(parsed.name, parsed.alias)
      : await client.getModelVersion(parsed.name, parsed.version!);
  } catch (error) {
    if (!(error instanceof TrackerError) || (error.status !== 404 && error.status !== 400))
      throw error;
    const versions = await client.searchModelVersions(parsed.name).catch(() => undefined);
    throw new TrackerError(notRegistered(client, parsed, uri, versions), { cause: error });
  }
}

/**
 * The registered version a `models:/` URI names; one the registry does not have is a
 * `TrackerError` listing the name's versions and the fix (`plexus mlflow alias` checks with it).
 */
export function modelVersionOf(client: MlflowClient, uri: string): Promise<ModelVersion> {
  return registeredVersion(client, parseModelUri(uri), uri);
}

/** Why a URI names no version, with what the name has and the command that fixes it. */
function notRegistered(
  client: MlflowClient,
  parsed: ReturnType<typeof parseModelUri>,
  uri: string,
  versions: ModelVersion[] | undefined,
): string {
  const { name, alias } = parsed;
  if (versions?.length === 0)
    return `${uri}: no model "${name}" is registered on ${client.trackingUri} (deleted, or on another server?); register one with: plexus mlflow register FILE --name ${name}${alias ? ` --alias ${alias}` : ''}`;
  const listed = versions
    ? `; its versions: ${versions
        .slice(0, 10)
        .map((entry) => entry.version)
        .join(', ')}${versions.length > 10 ? ', ...' : ''}`
    : '';
  return alias
    ? `${uri}: "${name}" has no alias "${alias}" (never set, or its version was deleted)${listed}; point it at one with: plexus mlflow alias ${name} ${alias} VERSION`
    : `${uri}: "${name}" has no version ${parsed.version} (deleted?)${listed}; name one of them, or an alias (models:/${name}@champion)`;
}

/**
 * Downloads a registered model version into `cacheDir/mlflow-models/<name>/<version>` (once)
 * and returns the path of its model file, as its `MLmodel` names it. A folder downloaded from
 * another version of the same name and number (the name deleted and registered again) is
 * downloaded again; a file that is not the one registered (its `plexus.model_sha256` tag) is
 * refused.
 */
export async function resolveModelUri(
  uri: string,
  options: { client: MlflowClient; cacheDir: string },
): Promise<string> {
  const { client } = options;
  const parsed = parseModelUri(uri);
  const version = await registeredVersion(client, parsed, uri);
  if (!/^\d+$/.test(version.version))
    throw new TrackerError(`${uri}: the server gave version "${version.version}", not a number`);
  const folder = join(
    options.cacheDir,
    'mlflow-models',
    encodeURIComponent(parsed.name),
    version.version,
  );
  const fresh = downloadedIdentity(folder) !== versionIdentity(version);
  if (fresh) await downloadOnce(client, version, folder, uri);
  const mlmodel = parse(await readFile(join(folder, 'MLmodel'), 'utf8')) as {
    flavors?: Record<string, { data?: string }>;
  };
  const data = mlmodel.flavors?.onnx?.data ?? mlmodel.flavors?.plexus_forest?.data;
  if (!data)
    throw new TrackerError(
      `${uri} (version ${version.version}) has no onnx or plexus_forest flavor in its MLmodel`,
    );
  const path = inside(folder, data, uri);
  if (fresh) await checkRegisteredHash(folder, path, version, uri);
  resolvedInProcess.set(uri, { name: parsed.name, version: version.version, path });
  return path;
}

/** A path in a downloaded model's folder; one a server names outside it (`../`, absolute) is refused. */
function inside(folder: string, path: string, uri: string): string {
  const target = resolve(folder, path);
  if (!target.startsWith(`${resolve(folder)}${sep}`))
    throw new TrackerError(
      `${uri}: the server names the file "${path}", outside the model's folder; nothing was written there`,
    );
  return target;
}

/**
 * A `resolveModel` for scorecard loading: `models:/` URIs are downloaded from the MLflow
 * registry into `<cacheDir>/mlflow-models` once and then read from there.
 */
export function mlflowModelResolver(
  options: { cacheDir: string } & MlflowClientOptions,
): (uri: string) => Promise<string> {
  let client: MlflowClient | undefined;
  const resolved = new Map<string, Promise<string>>();
  return (uri) => {
    client ??= new MlflowClient(options);
    let path = resolved.get(uri);
    if (!path) {
      path = resolveModelUri(uri, { client, cacheDir: join(options.cacheDir) });
      resolved.set(uri, path);
    }
    return path;
  };
}
