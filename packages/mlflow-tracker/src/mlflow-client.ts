import { TrackerError } from '@plexus/core';
import type { z } from 'zod';
import { type FileBody, MlflowHttp, sleep } from './mlflow-http.js';
import {
  anyResponse,
  artifactListSchema,
  downloadUriResponse,
  experimentResponse,
  type experimentSchema,
  modelVersionListResponse,
  modelVersionResponse,
  type modelVersionSchema,
  registeredModelResponse,
  runListResponse,
  runResponse,
  type runSchema,
} from './mlflow-schemas.js';

export type { MlflowClientOptions } from './mlflow-http.js';

export type Experiment = z.infer<typeof experimentSchema>;
export type Run = z.infer<typeof runSchema>;
export type ModelVersion = z.infer<typeof modelVersionSchema>;

/** MLflow's limits per log-batch call. */
export const batchLimits = { metrics: 1000, params: 100, tags: 100 } as const;

/**
 * A small typed client for MLflow's REST API (2.0 endpoints; MLflow 2 and 3 servers):
 * experiments, runs, artifacts and the model registry, over MlflowHttp's transport.
 */
export class MlflowClient extends MlflowHttp {
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const { experiment } = await this.call('GET', 'experiments/get-by-name', experimentResponse, {
        experiment_name: name,
      });
      return experiment;
    } catch (error) {
      if (error instanceof TrackerError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** The experiment with this name, created when missing. */
  async ensureExperiment(name: string): Promise<Experiment> {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing;
    try {
      await this.call('POST', 'experiments/create', anyResponse, { name });
    } catch (error) {
      // Created meanwhile by another process: fine.
      if (!(error instanceof TrackerError && error.status === 400)) throw error;
    }
    const created = await this.getExperimentByName(name);
    if (!created) throw new TrackerError(`MLflow did not create experiment "${name}"`);
    return created;
  }

  async createRun(options: {
    experimentId: string;
    runName: string;
    startTime: number;
    tags: Record<string, string>;
  }): Promise<Run> {
    const { run } = await this.call('POST', 'runs/create', runResponse, {
      experiment_id: options.experimentId,
      run_name: options.runName,
      start_time: options.startTime,
      tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })),
    });
    return run;
  }

  async getRun(runId: string): Promise<Run> {
    const { run } = await this.call('GET', 'runs/get', runResponse, { run_id: runId });
    return run;
  }

  /** Runs of an experiment whose tag has this value (tag values are quoted for MLflow's filter syntax). */
  async findRunsByTag(experimentId: string, key: string, value: string): Promise<Run[]> {
    const { runs } = await this.call('POST', 'runs/search', runListResponse, {
      experiment_ids: [experimentId],
      filter: `tags.\`${key}\` = '${value.replace(/'/g, "\\'")}'`,
      max_results: 10,
    });
    return runs ?? [];
  }

  async updateRun(
    runId: string,
    status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED',
    endTime?: number,
    runName?: string,
  ): Promise<void> {
    await this.call('POST', 'runs/update', anyResponse, {
      run_id: runId,
      status,
      end_time: endTime,
      run_name: runName,
    });
  }

  /** Logs metrics, params and tags, split into calls within MLflow's limits. */
  async logBatch(
    runId: string,
    batch: {
      metrics?: { key: string; value: number; timestamp: number; step?: number }[];
      params?: { key: string; value: string }[];
      tags?: { key: string; value: string }[];
    },
  ): Promise<void> {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    for (let call = 0; ; call += 1) {
      const part = {
        metrics: metrics.slice(call * batchLimits.metrics, (call + 1) * batchLimits.metrics),
        params: params.slice(call * batchLimits.params, (call + 1) * batchLimits.params),
        tags: tags.slice(call * batchLimits.tags, (call + 1) * batchLimits.tags),
      };
      if (part.metrics.length + part.params.length + part.tags.length === 0) return;
      await this.call('POST', 'runs/log-batch', anyResponse, { run_id: runId, ...part });
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', anyResponse, { run_id: runId, key, value });
  }

  async logInputs(
    runId: string,
    datasets: {
      name: string;
      digest: string;
      sourceType: string;
      source: string;
      context: string;
    }[],
  ): Promise<void> {
    await this.call('POST', 'runs/log-inputs', anyResponse, {
      run_id: runId,
      datasets: datasets.map((dataset) => ({
        tags: [{ key: 'mlflow.data.context', value: dataset.context }],
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          source_type: dataset.sourceType,
          source: dataset.source,
        },
      })),
    });
  }

  /** Path of an artifact URI (`mlflow-artifacts:/1/abc/artifacts`) on the server's artifact proxy. */
  private artifactPath(artifactUri: string, path = ''): string {
    const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri);
    if (!match)
      throw new TrackerError(
        `artifact location "${artifactUri}" is not served by the tracking server; start mlflow server with --serve-artifacts (the default in MLflow 2+) and a fresh experiment`,
      );
    const base = match[1]!.replace(/\/+$/, '');
    return path ? `${base}/${path}` : base;
  }

  /** Uploads `content`, bytes or a file (streamed: see `FileBody`), as `path` of the artifacts. */
  async uploadArtifact(
    artifactUri: string,
    path: string,
    content: Uint8Array | FileBody,
  ): Promise<void> {
    const target = this.artifactPath(artifactUri, path)
      .split('/')
      .map(encodeURIComponent)
      .join('/');
    await this.send('PUT', `/api/2.0/mlflow-artifacts/artifacts/${target}`, content, false);
  }

  async listArtifacts(
    artifactUri: string,
    path = '',
  ): Promise<{ path: string; isDir: boolean; size: number }[]> {
    const query = new URLSearchParams({ path: this.artifactPath(artifactUri, path) });
    const response = await this.send('GET', `/api/2.0/mlflow-artifacts/artifacts?${query}`);
    const parsed = artifactListSchema.parse(await response.json());
    return (parsed.files ?? []).map((file) => ({
      path: path ? `${path}/${file.path}` : file.path,
      isDir: file.is_dir ?? false,
      size: Number(file.file_size ?? 0),
    }));
  }

  async downloadArtifact(artifactUri: string, path: string): Promise<Uint8Array> {
    const target = this.artifactPath(artifactUri, path)
      .split('/')
      .map(encodeURIComponent)
      .join('/');
    const response = await this.send('GET', `/api/2.0/mlflow-artifacts/artifacts/${target}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async ensureRegisteredModel(name: string): Promise<void> {
    try {
      await this.call('GET', 'registered-models/get', registeredModelResponse, { name });
    } catch (error) {
      if (!(error instanceof TrackerError && error.status === 404)) throw error;
      await this.call('POST', 'registered-models/create', anyResponse, { name });
    }
  }

  async createModelVersion(options: {
    name: string;
    source: string;
    runId: string;
    tags?: Record<string, string>;
  }): Promise<ModelVersion> {
    const payload = {
      name: options.name,
      source: options.source,
      run_id: options.runId,
      tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })),
    };
    // Not sent again blindly: a create whose answer was lost (a timeout, a 5xx from a proxy) may
    // have registered the version, and a second create registered the model twice (version 2
    // returned, version 1 left behind). A version of this run and source is that one.
    const attempts = this.retries();
    let delay = this.retryDelay();
    for (let attempt = 1; ; attempt += 1) {
      try {
        const created = await this.call(
          'POST',
          'model-versions/create',
          modelVersionResponse,
          payload,
          1,
        );
        return created.model_version;
      } catch (error) {
        const status = error instanceof TrackerError ? error.status : undefined;
        const repeatable = status === undefined || status >= 500 || status === 429;
        if (!repeatable || attempt >= attempts) throw error;
        const versions = await this.searchModelVersions(options.name).catch(() => []);
        const earlier = versions.find(
          (version) => version.run_id === options.runId && version.source === options.source,
        );
        if (earlier) return earlier;
        await sleep(delay);
        delay *= 2;
      }
    }
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const { model_version } = await this.call('GET', 'model-versions/get', modelVersionResponse, {
      name,
      version,
    });
    return model_version;
  }

  /** The versions registered under a name (none for an unknown name), newest first. */
  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    const { model_versions } = await this.call(
      'GET',
      'model-versions/search',
      modelVersionListResponse,
      { filter: `name='${name.replaceAll("'", "\\'")}'`, max_results: '200' },
    );
    return (model_versions ?? []).sort(
      (left, right) => Number(right.version) - Number(left.version),
    );
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', anyResponse, { name, alias, version });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const { model_version } = await this.call(
      'GET',
      'registered-models/alias',
      modelVersionResponse,
      { name, alias },
    );
    return model_version;
  }

  async getDownloadUri(name: string, version: string): Promise<string> {
    const { artifact_uri } = await this.call(
      'GET',
      'model-versions/get-download-uri',
      downloadUriResponse,
      { name, version },
    );
    return artifact_uri;
  }
}
