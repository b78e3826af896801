import {
  errorMessage,
  redact,
  registerAuthorization,
  registerSecret,
  registerUrlCredentials,
  TrackerError,
} from '@plexus/core';
import type { z } from 'zod';
import {
  anyResponse,
  artifactListSchema,
  downloadUriResponse,
  experimentResponse,
  type experimentSchema,
  modelVersionResponse,
  type modelVersionSchema,
  registeredModelResponse,
  runListResponse,
  runResponse,
  type runSchema,
} from './mlflow-schemas.js';

export interface MlflowClientOptions {
  /** Server URL, e.g. `http://127.0.0.1:5000`; default `MLFLOW_TRACKING_URI`. */
  trackingUri?: string;
  /** Bearer token; default `MLFLOW_TRACKING_TOKEN` (read per request, never logged). */
  token?: string;
  /** Basic auth; default `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`. */
  username?: string;
  password?: string;
  fetch?: typeof fetch;
  /** Attempts per request on 5xx and connection errors; default 4. */
  attempts?: number;
  /** First retry delay in ms, doubled each time; default 250. */
  retryDelayMs?: number;
  /** Per-request timeout in ms; default 30,000. */
  timeoutMs?: number;
}

export type Experiment = z.infer<typeof experimentSchema>;
export type Run = z.infer<typeof runSchema>;
export type ModelVersion = z.infer<typeof modelVersionSchema>;

/** MLflow's limits per log-batch call. */
export const batchLimits = { metrics: 1000, params: 100, tags: 100 } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A tracking URI without its `user:password@` (fetch refuses a URL with credentials: every request
 * failed, reported as "unreachable"), and those credentials, decoded, to send as basic auth.
 */
function withoutCredentials(uri: string): {
  url: string;
  credentials?: { username: string; password: string };
} {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return { url: uri };
  }
  if (!parsed.username && !parsed.password) return { url: uri };
  const decoded = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text; // a `%` that starts no escape is the character itself
    }
  };
  const credentials = { username: decoded(parsed.username), password: decoded(parsed.password) };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), credentials };
}

/** A small typed client for MLflow's REST API (2.0 endpoints; MLflow 2 and 3 servers). */
export class MlflowClient {
  /** The server's URL, without the user and password a tracking URI may hold. */
  readonly trackingUri: string;
  private readonly fetchImpl: typeof fetch;
  /** `http://user:password@host`: the URL's credentials, sent as basic auth. */
  private readonly urlCredentials: { username: string; password: string } | undefined;

  constructor(private readonly options: MlflowClientOptions = {}) {
    const uri = options.trackingUri ?? process.env.MLFLOW_TRACKING_URI;
    if (!uri || !/^https?:\/\//.test(uri))
      throw new TrackerError(
        `MLflow needs an http(s) tracking URI (got ${uri ? `"${uri}"` : 'none'}); set MLFLOW_TRACKING_URI=http://host:port`,
      );
    registerUrlCredentials(uri);
    const { url, credentials } = withoutCredentials(uri);
    this.urlCredentials = credentials;
    this.trackingUri = url.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  private headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = json ? { 'content-type': 'application/json' } : {};
    const token = this.options.token ?? process.env.MLFLOW_TRACKING_TOKEN;
    const username =
      this.options.username ??
      process.env.MLFLOW_TRACKING_USERNAME ??
      this.urlCredentials?.username;
    const password =
      this.options.password ??
      process.env.MLFLOW_TRACKING_PASSWORD ??
      this.urlCredentials?.password;
    if (token) headers.authorization = `Bearer ${token}`;
    else if (username && password)
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    // Known before anything is sent: the payloads, errors and echoes are redacted of them.
    registerSecret(password);
    registerAuthorization(headers.authorization);
    return headers;
  }

  /** One HTTP exchange with retries on 5xx, 429 and connection errors. */
  async send(
    method: string,
    path: string,
    body?: string | Uint8Array,
    json = true,
  ): Promise<Response> {
    const attempts = this.options.attempts ?? 4;
    let delay = this.options.retryDelayMs ?? 250;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const headers = this.headers(json && body !== undefined);
        const response = await this.fetchImpl(`${this.trackingUri}${path}`, {
          method,
          headers,
          // A text payload (params, tags, run names) never carries a secret to the server.
          body: typeof body === 'string' ? redact(body) : body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        if (response.ok) return response;
        const text = await response.text().catch(() => '');
        const error = new TrackerError(
          `MLflow ${method} ${path.split('?')[0]} answered ${response.status}: ${redact(text).slice(0, 300)}`,
          { status: response.status },
        );
        if (response.status < 500 && response.status !== 429) throw error;
        lastError = error;
      } catch (error) {
        if (
          error instanceof TrackerError &&
          error.status !== undefined &&
          error.status < 500 &&
          error.status !== 429
        )
          throw error;
        lastError = error;
      }
      if (attempt < attempts) await sleep(delay);
      delay *= 2;
    }
    if (lastError instanceof TrackerError) throw lastError;
    throw new TrackerError(
      `MLflow at ${redact(this.trackingUri)} is unreachable (${redact(errorMessage(lastError))}); the run stays in its local folder: sync it later with plexus mlflow sync <run-dir>`,
      { cause: lastError },
    );
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    endpoint: string,
    schema: z.ZodType<T>,
    payload?: unknown,
  ): Promise<T> {
    let path = `/api/2.0/mlflow/${endpoint}`;
    let body: string | undefined;
    if (method === 'GET' && payload) {
      const query = new URLSearchParams(Object.entries(payload as Record<string, string>));
      path += `?${query}`;
    } else if (payload !== undefined) body = JSON.stringify(payload);
    const response = await this.send(method, path, body);
    const parsed = schema.safeParse(await response.json().catch(() => ({})));
    if (!parsed.success)
      throw new TrackerError(
        `MLflow ${endpoint} gave an unexpected answer: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }

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

  async uploadArtifact(artifactUri: string, path: string, content: Uint8Array): Promise<void> {
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
    const { model_version } = await this.call(
      'POST',
      'model-versions/create',
      modelVersionResponse,
      {
        name: options.name,
        source: options.source,
        run_id: options.runId,
        tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })),
      },
    );
    return model_version;
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const { model_version } = await this.call('GET', 'model-versions/get', modelVersionResponse, {
      name,
      version,
    });
    return model_version;
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
