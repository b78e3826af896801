import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BatchEndpoints, type BatchServerOptions } from './batch-endpoints.js';
import type { ChatBody, Fault } from './chat-body.js';

export type { ChatBody, Fault } from './chat-body.js';

/** What the server decides for one request. */
export interface Decision {
  label: string;
  fault?: Fault;
}

export interface TestServerOptions {
  /** Latency before each answer, in milliseconds; default 0. */
  latencyMs?: number;
  /** Requests answered at once at most; more get 429 with retry-after. Default unlimited. */
  maxInFlight?: number;
  /** `retry-after` seconds sent with 429s; default 0.05 (50 ms, sent as a fraction). */
  retryAfterSeconds?: number;
  /** Fault rates, 0..1, applied by a seeded generator; default none. */
  faults?: Partial<Record<Fault, number>>;
  seed?: number;
  /**
   * The label for a request, given its labels (from the JSON schema enum, or `Labels:` in the
   * prompt) and its user text. Default: a `[[label:X]]` marker in the text, else a `[[X]]` marker
   * of a label, else a hash of the text. Without labels (a free answer, as for an extraction) the
   * answer is the text of an `[[answer:...]]` marker, or NONE.
   */
  decide?: (request: { labels: string[]; text: string }) => string;
  /**
   * The whole answer text for a request, instead of the one built from `decide` (for answers a
   * model should not give: empty, huge, broken JSON, labels in another case or language).
   * Undefined: the normal answer.
   */
  answer?: (request: { labels: string[]; text: string; structured: boolean }) => string | undefined;
  /**
   * A refusal for a request, as OpenAI gives one (`message.refusal`, `content: null`); undefined:
   * the normal answer.
   */
  refusal?: (request: { labels: string[]; text: string }) => string | undefined;
  /** `false`: answers without `usage`, as some OpenAI-compatible servers send them. Default true. */
  usage?: boolean;
  /**
   * Labels of the Hugging Face text-classification task (`POST /models/...` with `inputs`);
   * default POSITIVE, NEGATIVE. Zero-shot requests bring their `candidate_labels`.
   */
  taskLabels?: string[];
  /**
   * A careless server that quotes the request's `Authorization` header back: `error` answers
   * every chat request 400 with the header in the error message, `answer` puts it in the
   * reasoning of a normal answer (so it reaches explanations and the response cache).
   */
  echoAuthorization?: 'error' | 'answer';
  /** The Batch API (`/v1/files`, `/v1/batches`): delays and how batches end (see `BatchServerOptions`). */
  batch?: BatchServerOptions;
}

export interface TestServerStats {
  requests: number;
  /** Requests per hash of the request body. */
  byBody: Map<string, number>;
  maxInFlight: number;
  statuses: Record<string, number>;
  /** Faults given, by kind (random and queued; a hang is counted when it starts). */
  faults: Partial<Record<Fault, number>>;
}

/**
 * An OpenAI-compatible chat completions server on loopback, for tests and benchmarks. It also
 * answers Hugging Face Inference task requests (any other path, a JSON body with `inputs`):
 * zero-shot classification (with `parameters.candidate_labels`) and text classification.
 */
export interface TestServer {
  url: string;
  stats: TestServerStats;
  /** The Batch API's files, batches and the requests each batch ran. */
  batches: BatchEndpoints;
  /** Faults forced on the next requests, in order (before the random ones). */
  queueFaults(...faults: Fault[]): void;
  /** Chat requests being answered now (a hang until the client closes its socket). */
  readonly inFlight: number;
  resetStats(): void;
  close(): Promise<void>;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function textOf(body: ChatBody): string {
  return (body.messages ?? [])
    .filter((message) => message.role === 'user')
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
    )
    .join('\n');
}

/** The labels asked for; empty for a free answer (an extraction). */
function labelsOf(body: ChatBody, text: string): string[] {
  const fromSchema = body.response_format?.json_schema?.schema?.properties?.label?.enum;
  if (fromSchema && fromSchema.length > 0) return fromSchema;
  const listed = /Labels?:\s*([^\n]+)/i.exec(text)?.[1];
  if (!listed) return [];
  if (listed.startsWith('"')) {
    try {
      return (JSON.parse(`[${listed}]`) as unknown[]).map(String); // quoted: labels with commas
    } catch {
      // not a quoted list after all
    }
  }
  return listed.split(/\s*,\s*/).filter(Boolean);
}

function defaultDecide({ labels, text }: { labels: string[]; text: string }): string {
  if (labels.length === 0) return /\[\[answer:([^\]]+)\]\]/.exec(text)?.[1] ?? 'NONE';
  const marker = /\[\[label:([^\]]+)\]\]/.exec(text);
  if (marker) return marker[1]!;
  const lower = text.toLowerCase();
  const named = labels.find((label) => lower.includes(`[[${label.toLowerCase()}]]`));
  if (named) return named;
  const hash = createHash('sha256').update(text).digest();
  return labels[hash.readUInt32BE(0) % labels.length]!;
}

/**
 * A Hugging Face task answer: zero-shot in the legacy `{sequence, labels, scores}` shape,
 * text classification as `[[{label, score}]]`; the chosen label scores 0.9.
 */
function taskAnswer(
  body: ChatBody,
  decide: (request: { labels: string[]; text: string }) => string,
  taskLabels: string[] | undefined,
  fault: Fault | undefined,
): unknown {
  const candidates = body.parameters?.candidate_labels;
  const labels = candidates ?? taskLabels ?? ['POSITIVE', 'NEGATIVE'];
  const label = decide({ labels, text: body.inputs ?? '' });
  if (fault === 'malformed') return { error: 'unexpected output' };
  const ranked = [label, ...labels.filter((other) => other !== label)];
  const scores = ranked.map((_, index) =>
    index === 0 ? 0.9 : 0.1 / Math.max(1, ranked.length - 1),
  );
  if (candidates) return { sequence: body.inputs, labels: ranked, scores };
  return [ranked.map((name, index) => ({ label: name, score: scores[index]! }))];
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Input tokens as OpenAI counts them: each message's content plus 4 (role, separators), 3 to
 * start the answer, and the JSON schema of structured output; at 4 characters a token.
 */
function promptTokens(body: ChatBody): number {
  let count = 3;
  for (const message of body.messages ?? [])
    count +=
      4 +
      tokens(
        typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
      );
  if (body.response_format) count += tokens(JSON.stringify(body.response_format));
  return count;
}

/**
 * Log-probabilities of an answer's tokens (4 characters each) that spell it: the label's last
 * mention (a structured answer's `label` value) is one token at probability 0.9, the rest 0.99.
 */
function tokenLogprobs(content: string, label: string) {
  const tokens: { token: string; logprob: number; top_logprobs: [] }[] = [];
  const add = (text: string, probability: number) => {
    for (let at = 0; at < text.length; at += 4)
      tokens.push({
        token: text.slice(at, at + 4),
        logprob: Math.log(probability),
        top_logprobs: [],
      });
  };
  const at = content.lastIndexOf(label);
  if (at < 0) add(content, 0.99);
  else {
    add(content.slice(0, at), 0.99);
    tokens.push({ token: label, logprob: Math.log(0.9), top_logprobs: [] });
    add(content.slice(at + label.length), 0.99);
  }
  return tokens;
}

/** A chat completion for a request body (for the chat route and for batch lines alike). */
export function buildCompletion(
  body: ChatBody,
  options: {
    decide: (request: { labels: string[]; text: string }) => string;
    answer?: TestServerOptions['answer'];
    refusal?: TestServerOptions['refusal'];
    usage?: boolean;
    fault?: Fault;
    because?: string;
    hash: string;
  },
) {
  const { fault, hash } = options;
  const because = options.because ?? '';
  const text = textOf(body);
  const labels = labelsOf(body, text);
  const label = options.decide({ labels, text });
  const structured = body.response_format?.type === 'json_schema';
  let content = structured
    ? JSON.stringify({ reasoning: `The text points to ${label}${because}.`, label })
    : labels.length === 0
      ? label
      : `The text points to ${label}${because}.\nAnswer: ${label}`;
  if (fault === 'malformed') content = structured ? '{"reasoning": "cut off' : 'I cannot decide.';
  content = options.answer?.({ labels, text, structured }) ?? content;
  // Like a real model, the answer stops at the output cap the request sets.
  const cap = body.max_completion_tokens ?? body.max_tokens;
  const cut = cap !== undefined && tokens(content) > cap;
  if (cut) content = content.slice(0, cap * 4);
  const refusal = options.refusal?.({ labels, text });
  const usage = {
    prompt_tokens: promptTokens(body),
    completion_tokens: tokens(refusal ?? content),
    total_tokens: promptTokens(body) + tokens(refusal ?? content),
  };
  const completion = {
    id: `chatcmpl-${hash.slice(0, 12)}`,
    object: 'chat.completion',
    created: 0,
    model: body.model ?? 'test-model',
    choices: [
      {
        index: 0,
        finish_reason: cut ? 'length' : 'stop',
        message:
          refusal === undefined
            ? { role: 'assistant', content }
            : { role: 'assistant', content: null, refusal },
        logprobs: body.logprobs ? { content: tokenLogprobs(content, label) } : null,
      },
    ],
    ...(options.usage === false ? {} : { usage }),
  };
  return { completion, cut };
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

/**
 * What OpenAI answers (400) to a reasoning model's request (`gpt-5*`, `o1`, `o3`, `o4-mini`) with
 * `max_tokens` or a temperature other than 1; undefined for a request it takes.
 */
function reasoningRefusal(body: ChatBody): string | undefined {
  if (!/^(?:openai\/)?(?:gpt-5|o[1-9])(?:$|[-.])/i.test(body.model?.trim() ?? '')) return undefined;
  if (body.max_tokens !== undefined)
    return "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
  if (body.temperature !== undefined && body.temperature !== 1)
    return `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`;
  return undefined;
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
      usage: options.usage,
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
