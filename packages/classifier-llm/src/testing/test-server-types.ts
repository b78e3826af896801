import type { BatchEndpoints, BatchServerOptions } from './batch-endpoints.js';
import type { Fault } from './chat-body.js';

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
  /**
   * Reasoning returned beside the answer (`message.reasoning_content`, as vLLM and DeepSeek send
   * it): its tokens are spent from `max_tokens` first, and the answer is cut where the cap ends.
   */
  reasoning?: (request: { labels: string[]; text: string }) => string | undefined;
  /**
   * The model's context in tokens (counted as `usage` counts them): a chat request whose input
   * plus its `max_tokens` is longer gets OpenAI's 400 `context_length_exceeded`. Default none.
   */
  contextTokens?: number;
  /** `false`: answers without `usage`, as some OpenAI-compatible servers send them. Default true. */
  usage?: boolean;
  /** `false`: answers without `finish_reason` (cut or not), as some servers send them. Default true. */
  finishReason?: boolean;
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
