import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { registerAuthorization, registerUrlCredentials } from '@plexus/core';
import { whenAborted } from './when-aborted.js';

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why a request got no answer: the caller's signal, its time limit, or the connection. */
export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly reason: 'aborted' | 'timeout' | 'connection',
    options?: {
      cause?: unknown;
      /**
       * False when no connection to the server was ever made (refused, unknown host, a failed TLS
       * handshake, a timeout while connecting): the server never received the request.
       */
      connected?: boolean;
    },
  ) {
    super(message, options);
    this.name = 'HttpRequestError';
    this.connected = options?.connected ?? true;
  }

  readonly connected: boolean;
}

/** The errors under requests that never connected, as thrown on to SDKs (`createHttpFetch`). */
const unconnected = new WeakMap<object, HttpRequestError>();

/**
 * The error of a request that never connected to its server (no request was received, none can
 * be billed), found in `error` or its causes (an SDK wraps what `createHttpFetch` threw); else
 * undefined.
 */
export function unconnectedError(error: unknown): HttpRequestError | undefined {
  for (let at = error, depth = 0; typeof at === 'object' && at !== null && depth < 8; depth += 1) {
    if (at instanceof HttpRequestError) return at.connected ? undefined : at;
    const known = unconnected.get(at);
    if (known) return known;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

export type HttpAgents = Record<'http:' | 'https:', http.Agent>;

/** Keep-alive agents without a socket limit (the limiter decides how many calls are in flight). */
export function keepAliveAgents(): HttpAgents {
  return {
    'http:': new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY }),
  };
}

/**
 * One HTTP/1.1 request on `node:http` with keep-alive: a fraction of the CPU of the WHATWG
 * `fetch` machinery per call, which is what bounds throughput at high concurrency on one core.
 */
export function httpRequest(
  url: URL,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string | Buffer;
    agents: HttpAgents;
    signal?: AbortSignal;
    timeoutMs?: number;
  },
): Promise<HttpAnswer> {
  const { body, signal, timeoutMs } = options;
  registerCredentials(url, options.headers);
  const headers =
    body === undefined
      ? options.headers
      : { ...options.headers, 'content-length': String(Buffer.byteLength(body)) };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(
        new HttpRequestError('the call was aborted', 'aborted', {
          cause: signal.reason,
          connected: false,
        }),
      );
      return;
    }
    let settled = false;
    const finish = (error: Error | undefined, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      if (error) reject(error);
      else resolve(answer as HttpAnswer);
    };
    const request = transport.request(
      {
        ...targetOf(url),
        method: options.method,
        headers,
        agent: options.agents[url.protocol as 'http:'],
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => finish(connectionError(error, url, true)));
        response.on('aborted', () =>
          finish(connectionError(new Error('the answer was cut'), url, true)),
        );
        response.on('end', () =>
          finish(undefined, {
            status: response.statusCode ?? 500,
            headers: response.headers,
            body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
          }),
        );
      },
    );
    const connected = connection(request, url);
    const onAbort = () => {
      finish(
        new HttpRequestError('the call was aborted', 'aborted', {
          cause: signal?.reason,
          connected: connected(),
        }),
      );
      request.destroy();
    };
    const unsubscribe = signal ? whenAborted(signal, onAbort) : undefined;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            finish(timeoutError(url, timeoutMs, connected()));
            request.destroy();
          }, timeoutMs);
    request.on('error', (error) => finish(connectionError(error, url, connected())));
    request.end(body);
  });
}

/**
 * Whether the request's connection is made: until its socket connects (a TLS socket: its handshake
 * is done), or when keep-alive gave it a connected one, nothing reached the server.
 */
function connection(request: http.ClientRequest, url: URL): () => boolean {
  let connected = false;
  request.on('socket', (socket) => {
    if (request.reusedSocket) connected = true;
    else
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
  });
  return () => connected;
}

/** A request's time limit passed: waiting for its answer, or for a connection never made. */
function timeoutError(url: URL, timeoutMs: number, connected: boolean): HttpRequestError {
  if (connected) return new HttpRequestError('the call timed out', 'timeout');
  return new HttpRequestError(
    `${unreachable(url)}: no connection within ${timeoutMs} ms; check base_url's host and port, and that the server is running`,
    'timeout',
    { connected: false },
  );
}

type Target = ReturnType<typeof urlToHttpOptions>;
const targets = new WeakMap<URL, { href: string; target: Target }>();

/**
 * A URL as `node:http` request options, converted once per URL object (`http.request(url,
 * options)` converts it on every call).
 */
function targetOf(url: URL): Target {
  const known = targets.get(url);
  // Changed since (a caller set its path): converted again.
  if (known?.href === url.href) return known.target;
  const target = urlToHttpOptions(url);
  targets.set(url, { href: url.href, target });
  return target;
}

/** Headers whose values are credentials. */
const credentialHeaders = new Set(['authorization', 'proxy-authorization', 'api-key', 'x-api-key']);

/**
 * Registers the credentials a request sends (its `Authorization` value, an `api-key` header, a
 * password in the URL): whatever the server echoes of them is redacted wherever it is written.
 */
function registerCredentials(url: URL, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (credentialHeaders.has(name.toLowerCase())) registerAuthorization(value);
  }
  if (url.password) registerUrlCredentials(url.href);
}

function connectionError(error: Error, url: URL, connected: boolean): HttpRequestError {
  if (connected)
    return new HttpRequestError(`cannot reach the endpoint: ${error.message}`, 'connection', {
      cause: error,
    });
  const failed = new HttpRequestError(
    `${unreachable(url)} (${error.message}): ${connectionFix(error, url)}`,
    'connection',
    { cause: error, connected: false },
  );
  unconnected.set(error, failed);
  return failed;
}

/** "cannot reach the endpoint http://host:port/v1/chat/completions": the URL without credentials. */
function unreachable(url: URL): string {
  return `cannot reach the endpoint ${url.protocol}//${url.host}${url.pathname}`;
}

/** What to do about a connection that could not be made, by its error code. */
function connectionFix(error: Error, url: URL): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED')
    return 'nothing listens there: start the server, or correct the port in base_url';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return 'the host name is not known: correct the host in base_url';
  if (url.protocol === 'https:')
    return 'no secure connection was made: check the scheme in base_url (http:// for a server without TLS), its host and port, and the server certificate';
  return "check base_url's host and port, and that the server is running";
}
