import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BatchEndpoints } from './batch-endpoints.js';
import type { ChatBody, Fault } from './chat-body.js';
import {
  buildCompletion,
  contextRefusal,
  defaultDecide,
  reasoningRefusal,
  taskAnswer,
} from './completion.js';
import type { TestServer, TestServerOptions, TestServerStats } from './test-server-types.js';

export type { ChatBody, Fault } from './chat-body.js';
export { buildCompletion } from './completion.js';
export type {
  Decision,
  TestServer,
  TestServerOptions,
  TestServerStats,
} from './test-server-types.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * When the client closes the connection of a request being answered (its FIN, or the socket's
 * close): `gone` resolves and `closed` is true. `stop` removes the listeners (a keep-alive socket
 * carries many requests).
 */
function clientGone(socket: Socket): { gone: Promise<void>; closed: boolean; stop: () => void } {
  let done: () => void = () => {};
  const state = {
    gone: new Promise<void>((resolve) => {
      done = resolve;
    }),
    closed: false,
    stop: () => {
      socket.off('end', onClose);
      socket.off('close', onClose);
    },
  };
  const onClose = () => {
    state.closed = true;
    done();
  };
  socket.once('end', onClose);
  socket.once('close', onClose);
  return state;
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const random = seeded(options.seed ?? 1);
  const queued: Fault[] = [];
  let inFlight = 0;
  const stats: TestServerStats = {
    requests: 0,
    byBody: new Map(),
    maxInFlight: 0,
    statuses: {},
    faults: {},
  };
  const sockets = new Set<import('node:net').Socket>();
  const decide = options.decide ?? defaultDecide;
  /** The answer to one chat request: the server's options, this request's fault and hash. */
  const complete = (body: ChatBody, answer: { fault?: Fault; hash: string; because?: string }) =>
    buildCompletion(body, {
      decide,
      answer: options.answer,
      refusal: options.refusal,
      reasoning: options.reasoning,
      usage: options.usage,
      finishReason: options.finishReason,
      ...answer,
    }).completion;
  const batches = new BatchEndpoints(options.batch ?? {}, (body, hash) => {
    const fault = pickFault();
    return { completion: complete(body, { fault, hash }), fault };
  });

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const counted = (fault: Fault | undefined): Fault | undefined => {
    if (fault) stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    return fault;
  };
  const pickFault = (): Fault | undefined => {
    if (queued.length > 0) return counted(queued.shift());
    for (const [fault, rate] of Object.entries(options.faults ?? {})) {
      if (random() < (rate ?? 0)) return counted(fault as Fault);
    }
    return undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (batches.handles(request.url ?? '')) {
      const answer = batches.handle(
        request.method ?? 'GET',
        request.url ?? '',
        raw,
        request.headers,
      );
      send(response, answer.status, answer.body, answer.headers);
      return;
    }
    const chat = request.url?.endsWith('/chat/completions') ?? false;
    let body: ChatBody | undefined;
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      // answered below
    }
    const task = !chat && typeof body?.inputs === 'string';
    if (request.method !== 'POST' || (!chat && !task)) {
      send(response, 404, { error: { message: `no route ${request.method} ${request.url}` } });
      return;
    }
    stats.requests += 1;
    const hash = createHash('sha256').update(raw).digest('hex');
    stats.byBody.set(hash, (stats.byBody.get(hash) ?? 0) + 1);
    if (!body) {
      send(response, 400, { error: { message: 'invalid JSON body' } });
      return;
    }
    // A request is in flight until answered or until the client closes its connection (a hang, an
    // aborted call). A client that closed one and sent the next request at once: let the close be
    // read first (the same poll), so the count is exact.
    if (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
    if (options.maxInFlight !== undefined && inFlight >= options.maxInFlight) {
      send(
        response,
        429,
        { error: { message: 'too many requests in flight' } },
        { 'retry-after': String(options.retryAfterSeconds ?? 0.05) },
      );
      return;
    }
    const refused = reasoningRefusal(body);
    if (refused) {
      send(response, 400, { error: { message: refused, type: 'invalid_request_error' } });
      return;
    }
    const tooLong = chat ? contextRefusal(body, options.contextTokens) : undefined;
    if (tooLong) {
      send(response, 400, { error: tooLong });
      return;
    }
    const echoed = `Authorization: ${request.headers.authorization ?? '(none)'}`;
    if (options.echoAuthorization === 'error') {
      send(response, 400, { error: { message: `request refused; you sent ${echoed}` } });
      return;
    }
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const client = clientGone(request.socket);
    try {
      const fault = pickFault();
      if (fault === 'hang') {
        await client.gone;
        return;
      }
      if (options.latencyMs) {
        await Promise.race([
          new Promise((resolve) => setTimeout(resolve, options.latencyMs)),
          client.gone,
        ]);
        if (client.closed) return;
      }
      if (fault === 'reset') {
        request.socket.destroy();
        return;
      }
      if (fault === '429') {
        send(
          response,
          429,
          { error: { message: 'rate limited' } },
          { 'retry-after': String(options.retryAfterSeconds ?? 0.05) },
        );
        return;
      }
      if (fault === '401') {
        send(response, 401, { error: { message: 'Incorrect API key provided' } });
        return;
      }
      if (fault === 'quota') {
        // OpenAI's answer once an account's credit or spending limit is used up.
        const message =
          'You exceeded your current quota, please check your plan and billing details.';
        send(response, 429, {
          error: { message, type: 'insufficient_quota', code: 'insufficient_quota' },
        });
        return;
      }
      if (fault === '500') {
        send(response, 500, { error: { message: 'internal error' } });
        return;
      }
      if (task) {
        send(response, 200, taskAnswer(body, decide, options.taskLabels, fault));
        return;
      }
      const because = options.echoAuthorization === 'answer' ? ` (${echoed})` : '';
      const completion = complete(body, { fault, because, hash });
      if (fault === 'cut') {
        stats.statuses.cut = (stats.statuses.cut ?? 0) + 1;
        const full = JSON.stringify(completion);
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(full.length),
        });
        response.write(full.slice(0, Math.floor(full.length / 2)));
        request.socket.destroy();
        return;
      }
      send(response, 200, completion);
    } finally {
      client.stop();
      inFlight -= 1;
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats,
    batches,
    queueFaults: (...faults) => queued.push(...faults),
    get inFlight() {
      return inFlight;
    },
    resetStats: () => {
      stats.requests = 0;
      stats.byBody.clear();
      stats.maxInFlight = 0;
      stats.statuses = {};
      stats.faults = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
