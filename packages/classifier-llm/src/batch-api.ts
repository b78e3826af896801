import { randomUUID } from 'node:crypto';
import { HttpRequestError, httpRequest, keepAliveAgents } from './http-request.js';
import { baseUrlOf } from './openai-wire.js';
import { ProviderCallError, parseRetryAfter } from './retry-policy.js';

/** A batch as `/v1/batches` shows it (the fields Plexus reads). */
export interface BatchObject {
  id: string;
  status:
    | 'validating'
    | 'failed'
    | 'in_progress'
    | 'finalizing'
    | 'completed'
    | 'expired'
    | 'cancelling'
    | 'cancelled';
  input_file_id: string;
  output_file_id?: string | null;
  error_file_id?: string | null;
  request_counts?: { total: number; completed: number; failed: number } | null;
  errors?: { data?: { code?: string; message?: string; line?: number | null }[] } | null;
  metadata?: Record<string, string> | null;
}

/** Statuses after which a batch changes no more. */
export const endedStatuses: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'expired',
  'cancelled',
]);

/**
 * OpenAI's Batch API (also Azure OpenAI's `/openai/v1` endpoint): files and batches. The key is
 * read from the environment at each call, never stored.
 */
export class BatchApi {
  private readonly agents = keepAliveAgents();
  private readonly base: string;
  private readonly keyName: string;
  /** Uploads and downloads are large: never less than two minutes. */
  private readonly timeoutMs: number;
  private readonly hasBaseUrl: boolean;

  constructor(options: { baseUrl?: string; apiKeyEnv?: string; timeoutMs?: number }) {
    this.base = baseUrlOf(options).replace(/\/+$/, '');
    this.keyName = options.apiKeyEnv ?? 'OPENAI_API_KEY';
    this.timeoutMs = Math.max(options.timeoutMs ?? 60_000, 120_000);
    this.hasBaseUrl = options.baseUrl !== undefined;
  }

  /** Uploads a JSONL file of requests (purpose `batch`); its file id. */
  async upload(jsonl: string, filename: string): Promise<string> {
    const boundary = `plexus-${randomUUID()}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
          `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\n` +
          'content-type: application/jsonl\r\n\r\n',
      ),
      Buffer.from(jsonl),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const file = await this.call<{ id: string }>('POST', '/files', body, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    return file.id;
  }

  /** Starts a batch over an uploaded file (24 h window); `tag` is kept in its metadata. */
  create(inputFileId: string, tag: string): Promise<BatchObject> {
    const body = JSON.stringify({
      input_file_id: inputFileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { plexus_tag: tag },
    });
    return this.call('POST', '/batches', body, { 'content-type': 'application/json' });
  }

  get(batchId: string): Promise<BatchObject> {
    return this.call('GET', `/batches/${encodeURIComponent(batchId)}`);
  }

  /** The most recent batches (100), to find one created before a kill. */
  async list(): Promise<BatchObject[]> {
    const page = await this.call<{ data?: BatchObject[] }>('GET', '/batches?limit=100');
    return page.data ?? [];
  }

  async content(fileId: string): Promise<string> {
    const answer = await this.send('GET', `/files/${encodeURIComponent(fileId)}/content`);
    return answer.toString('utf8');
  }

  private async call<Value>(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Value> {
    const text = (await this.send(method, path, body, headers)).toString('utf8');
    try {
      return JSON.parse(text) as Value;
    } catch {
      throw new ProviderCallError(
        `${method} ${path} answered with a body that is not JSON: ${text.slice(0, 200)}`,
        { code: 'malformed_response' },
      );
    }
  }

  private async send(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Buffer> {
    const apiKey = process.env[this.keyName] ?? (this.hasBaseUrl ? 'not-needed' : undefined);
    if (!apiKey)
      throw new ProviderCallError(
        `no API key: set ${this.keyName} in the environment (or base_url for a local server)`,
        { status: 401, code: 'auth' },
      );
    let answer: Awaited<ReturnType<typeof httpRequest>>;
    try {
      answer = await httpRequest(new URL(`${this.base}${path}`), {
        method,
        headers: { accept: 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
        body,
        agents: this.agents,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      if (!(error instanceof HttpRequestError)) throw error;
      throw new ProviderCallError(`${method} ${path}: ${error.message}`, {
        cause: error.cause,
        code: error.reason,
      });
    }
    if (answer.status >= 400) {
      const text = answer.body.toString('utf8');
      let detail = text.slice(0, 200);
      try {
        const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
        if (typeof message === 'string') detail = message;
      } catch {
        // detail stays the text
      }
      const retryAfter = answer.headers['retry-after'];
      throw new ProviderCallError(`${method} ${path} answered ${answer.status} (${detail})`, {
        status: answer.status,
        retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
      });
    }
    return answer.body;
  }
}
