// MLflow's REST transport: credentials, headers, retries and typed JSON calls (mlflow-client.ts
// adds the endpoints).

import { createReadStream } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  errorMessage,
  redact,
  registerAuthorization,
  registerSecret,
  registerUrlCredentials,
  TrackerError,
} from '@plexus/core';
import type { z } from 'zod';

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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A file sent as a request body, read anew for each attempt: a run folder's results.jsonl is
 * 330 MB for 100,000 transcripts, 3.3 GB for a million (read whole, it took 1.3 GB of memory, and
 * past 2 GB Node refused to read it: `mlflow sync` failed).
 */
export interface FileBody {
  file: string;
  size: number;
}

/** A file body's time: the request timeout, plus a second per MiB (a 3.3 GB file: 53 min). */
function fileTimeoutMs(base: number, body: FileBody): number {
  return base + Math.ceil(body.size / 1024 / 1024) * 1000;
}

/**
 * Sends a file piped through `node:http(s)`: `fetch` read a streamed body into memory before
 * sending it (a 330 MB file: 390 MiB; piped: 81 MiB).
 */
function sendFile(
  url: string,
  options: { method: string; headers: Record<string, string>; signal: AbortSignal },
  body: FileBody,
): Promise<Response> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...options.headers, 'content-length': String(body.size) };
  return new Promise((resolve, reject) => {
    const request = send(target, { ...options, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const status = response.statusCode ?? 502;
        const text = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
        resolve(new Response(text, { status }));
      });
    });
    request.on('error', reject);
    const file = createReadStream(body.file);
    file.on('error', (error) => request.destroy(error));
    file.pipe(request);
  });
}

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

/**
 * The transport of MlflowClient: the tracking URI and its credentials, authorization headers,
 * retries on 5xx, 429 and connection errors, and typed JSON calls to `/api/2.0/mlflow/...`.
 */
export class MlflowHttp {
  /** The server's URL, without the user and password a tracking URI may hold. */
  readonly trackingUri: string;
  private readonly fetchImpl: typeof fetch;
  /** `http://user:password@host`: the URL's credentials, sent as basic auth. */
  private readonly urlCredentials: { username: string; password: string } | undefined;

  constructor(private readonly options: MlflowClientOptions = {}) {
    const uri = options.trackingUri ?? process.env.MLFLOW_TRACKING_URI;
    // Before any message quotes it: a mistyped `htps://user:password@host` is a URL all the same.
    registerUrlCredentials(uri);
    if (!uri || !/^https?:\/\//.test(uri))
      throw new TrackerError(
        `MLflow needs an http(s) tracking URI (got ${uri ? `"${redact(uri)}"` : 'none'}); set MLFLOW_TRACKING_URI=http://host:port`,
      );
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

  /** Tries per request, and the first retry's delay in ms (doubled each time). */
  protected retries(): number {
    return this.options.attempts ?? 4;
  }

  protected retryDelay(): number {
    return this.options.retryDelayMs ?? 250;
  }

  /**
   * One HTTP exchange with retries on 5xx, 429 and connection errors (`attempts`: this call's
   * number of tries, default the client's).
   */
  async send(
    method: string,
    path: string,
    body?: string | Uint8Array | FileBody,
    json = true,
    attempts = this.retries(),
  ): Promise<Response> {
    let delay = this.retryDelay();
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const headers = this.headers(json && body !== undefined);
        const timeoutMs = this.options.timeoutMs ?? 30_000;
        const url = `${this.trackingUri}${path}`;
        const response =
          typeof body === 'object' && !(body instanceof Uint8Array)
            ? await sendFile(
                url,
                { method, headers, signal: AbortSignal.timeout(fileTimeoutMs(timeoutMs, body)) },
                body,
              )
            : await this.fetchImpl(url, {
                method,
                headers,
                // A text payload (params, tags, run names) never carries a secret to the server.
                body: typeof body === 'string' ? redact(body) : body,
                signal: AbortSignal.timeout(timeoutMs),
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

  /** A JSON call to `/api/2.0/mlflow/<endpoint>`, its answer checked against `schema`. */
  protected async call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    endpoint: string,
    schema: z.ZodType<T>,
    payload?: unknown,
    attempts?: number,
  ): Promise<T> {
    let path = `/api/2.0/mlflow/${endpoint}`;
    let body: string | undefined;
    if (method === 'GET' && payload) {
      const query = new URLSearchParams(Object.entries(payload as Record<string, string>));
      path += `?${query}`;
    } else if (payload !== undefined) body = JSON.stringify(payload);
    const response = await this.send(method, path, body, true, attempts);
    const parsed = schema.safeParse(await response.json().catch(() => ({})));
    if (!parsed.success)
      throw new TrackerError(
        `MLflow ${endpoint} gave an unexpected answer: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }
}
