import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TrackerError } from '@plexus/core';
import { stringify } from 'yaml';
import type { MlflowClient, ModelVersion } from './mlflow-client.js';
import { onnxProblem } from './onnx-check.js';

/** What a model file is: an ONNX model or a Plexus random forest. */
export type ModelKind = 'onnx' | 'forest';

export interface RegisterOptions {
  client: MlflowClient;
  /** The model file: `.onnx` or a `plexus-forest` JSON file. */
  file: string;
  /** Registered model name. */
  name: string;
  /** Alias to point at the new version, e.g. `champion` or `challenger`. */
  alias?: string;
  /** Experiment that holds the registration run; default `plexus/models`. */
  experimentName?: string;
  /** Metrics to log on the registration run (training metrics). */
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  /** Put the model in this existing run (e.g. a sweep's best trial) instead of a new one. */
  runId?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * The kind of model file, by name and content; a `.onnx` file whose bytes are not an ONNX model
 * (see `onnxProblem`) is refused here, before anything is uploaded.
 */
export function modelKind(file: string, bytes: Uint8Array): ModelKind {
  if (file.endsWith('.onnx')) {
    const problem = onnxProblem(bytes);
    if (problem)
      throw new TrackerError(
        `${file}: not an ONNX model (${problem}); nothing was registered. Register the .onnx file your export wrote (e.g. skl2onnx, torch.onnx.export), whole`,
      );
    return 'onnx';
  }
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  if (head.includes('"format":"plexus-forest"')) return 'forest';
  throw new TrackerError(
    `${file}: not an .onnx file nor a plexus-forest model; nothing to register`,
  );
}

/** The `MLmodel` file: the `onnx` flavor with a `python_function` loader, or a Plexus forest flavor. */
export function mlmodelFile(kind: ModelKind, dataFile: string, now: Date): string {
  const flavors =
    kind === 'onnx'
      ? {
          onnx: {
            code: null,
            data: dataFile,
            onnx_version: '1.19.0',
            providers: ['CPUExecutionProvider'],
          },
          python_function: {
            data: dataFile,
            env: { virtualenv: 'python_env.yaml' },
            loader_module: 'mlflow.onnx',
            python_version: '3.11',
          },
        }
      : {
          plexus_forest: {
            data: dataFile,
            format: 'plexus-forest',
            version: 1,
            loader: '@plexus/classifier-forest',
          },
        };
  return stringify({
    artifact_path: 'model',
    flavors,
    model_uuid: randomUUID().replace(/-/g, ''),
    utc_time_created: now.toISOString().replace('T', ' ').replace('Z', ''),
  });
}

/** Registers a model file as a new version (with an `MLmodel` file), optionally moving an alias to it. */
export async function registerModel(options: RegisterOptions): Promise<ModelVersion> {
  const { client } = options;
  const bytes = new Uint8Array(await readFile(options.file));
  const kind = modelKind(options.file, bytes);
  const dataFile = kind === 'onnx' ? 'model.onnx' : 'model.json';
  const now = options.now?.() ?? new Date();
  const run = options.runId
    ? await client.getRun(options.runId)
    : await client.createRun({
        experimentId: (await client.ensureExperiment(options.experimentName ?? 'plexus/models'))
          .experiment_id,
        runName: `register ${options.name}`,
        startTime: now.getTime(),
        tags: { 'plexus.model_file': basename(options.file), 'plexus.model_kind': kind },
      });
  const runId = run.info.run_id;
  const sha = createHash('sha256').update(bytes).digest('hex');
  await client.logBatch(runId, {
    params: Object.entries({ ...options.params, model_sha256: sha, model_kind: kind }).map(
      ([key, value]) => ({ key, value }),
    ),
    metrics: Object.entries(options.metrics ?? {}).map(([key, value]) => ({
      key,
      value,
      timestamp: now.getTime(),
      step: 0,
    })),
  });
  const base = run.info.artifact_uri;
  await client.uploadArtifact(base, `model/${dataFile}`, bytes);
  await client.uploadArtifact(
    base,
    'model/MLmodel',
    new TextEncoder().encode(mlmodelFile(kind, dataFile, now)),
  );
  if (kind === 'onnx') {
    const pythonEnv = stringify({
      python: '3.11',
      build_dependencies: ['pip'],
      dependencies: ['mlflow', 'onnx', 'onnxruntime'],
    });
    await client.uploadArtifact(base, 'model/python_env.yaml', new TextEncoder().encode(pythonEnv));
    await client.uploadArtifact(
      base,
      'model/requirements.txt',
      new TextEncoder().encode('mlflow\nonnx\nonnxruntime\n'),
    );
  }
  if (!options.runId) await client.updateRun(runId, 'FINISHED', Date.now());
  await client.ensureRegisteredModel(options.name);
  const version = await client.createModelVersion({
    name: options.name,
    source: `${base}/model`,
    runId,
    tags: { 'plexus.model_sha256': sha },
  });
  if (options.alias) await client.setAlias(options.name, options.alias, version.version);
  return version;
}

/** Parses `models:/<name>@<alias>` and `models:/<name>/<version>`. */
export function parseModelUri(uri: string): { name: string; alias?: string; version?: string } {
  const alias = /^models:\/([^@/]+)@([\w-]+)$/.exec(uri);
  const version = /^models:\/([^@/]+)\/(\d+)$/.exec(uri);
  const name = (alias ?? version)?.[1];
  if (name === '.' || name === '..')
    throw new TrackerError(`"${uri}" names no model; write models:/<name>@<alias>`);
  if (alias) return { name: alias[1]!, alias: alias[2]! };
  if (version) return { name: version[1]!, version: version[2]! };
  throw new TrackerError(
    `"${uri}" is not a model URI; write models:/<name>@<alias> or models:/<name>/<version>`,
  );
}
