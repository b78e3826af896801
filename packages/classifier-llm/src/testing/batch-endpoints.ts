import type { IncomingHttpHeaders } from 'node:http';
import { validateInputFile } from './batch-input.js';
import type { ChatBody, Fault } from './chat-body.js';

/** How a batch ends. */
export type BatchOutcome = 'completed' | 'failed' | 'expired' | 'cancelled';

export interface BatchServerOptions {
  /** Milliseconds a batch spends in each of validating, in_progress and finalizing; default 20. */
  delayMs?: number;
  /** How batches end, in the order they are created (then `completed`). */
  outcomes?: BatchOutcome[];
  /** For `expired` and `cancelled`: requests answered before the end; default half, rounded down. */
  answeredBeforeEnd?: number;
}

/** What one batch line gets: the completion, and the fault the server chose for it. */
export type AnswerLine = (
  body: ChatBody,
  hash: string,
) => { completion: unknown; fault: Fault | undefined };

interface StoredFile {
  id: string;
  purpose: string;
  filename: string;
  content: string;
}

interface BatchRecord {
  id: string;
  inputFileId: string;
  endpoint: string;
  metadata: Record<string, string> | null;
  createdAt: number;
  outcome: BatchOutcome;
  status: string;
  cancelledAt?: number;
  counts: { total: number; completed: number; failed: number };
  outputFileId: string | null;
  errorFileId: string | null;
  errors: { object: 'list'; data: { code: string; message: string; line: number | null }[] } | null;
  ran: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const notFound = (what: string): Answer => ({
  status: 404,
  body: { error: { message: `No such ${what}`, type: 'invalid_request_error' } },
});

/**
 * OpenAI's Batch API on the test server: files uploaded (multipart, purpose `batch`), batches
 * created from them, statuses validating → in_progress → finalizing → completed (or failed,
 * expired, cancelled), output and error files. Time moves when a batch is read: no timers.
 */
export class BatchEndpoints {
  readonly files = new Map<string, StoredFile>();
  readonly batches: BatchRecord[] = [];
  /** Lines run per `custom_id`, over every batch (a request submitted twice counts 2). */
  readonly runsByCustomId = new Map<string, number>();
  uploads = 0;
  polls = 0;

  constructor(
    /** Changed between runs by tests (how the next batches end). */
    readonly options: BatchServerOptions,
    private readonly answerLine: AnswerLine,
  ) {}

  /** Whether a path is one of the Batch API's. */
  handles(url: string): boolean {
    return /\/(files|batches)(\/|\?|$)/.test(url);
  }

  handle(method: string, url: string, raw: string, headers: IncomingHttpHeaders): Answer {
    const path = (url.split('?')[0] ?? '').replace(/^.*?\/(files|batches)/, '$1');
    const parts = path.split('/');
    if (parts[0] === 'files') {
      if (method === 'POST' && parts.length === 1) return this.upload(raw, headers);
      const file = this.files.get(parts[1] ?? '');
      if (!file) return notFound(`file ${parts[1]}`);
      if (parts[2] === 'content') return { status: 200, body: file.content };
      return { status: 200, body: this.fileObject(file) };
    }
    if (method === 'POST' && parts.length === 1) return this.create(raw);
    if (method === 'GET' && parts.length === 1)
      return {
        status: 200,
        body: {
          object: 'list',
          data: this.batches.map((batch) => this.view(batch)),
          has_more: false,
        },
      };
    const batch = this.batches.find((candidate) => candidate.id === parts[1]);
    if (!batch) return notFound(`batch ${parts[1]}`);
    if (method === 'POST' && parts[2] === 'cancel') {
      batch.cancelledAt ??= Date.now();
      return { status: 200, body: this.view(batch) };
    }
    this.polls += 1;
    return { status: 200, body: this.view(batch) };
  }

  private fileObject(file: StoredFile) {
    return {
      id: file.id,
      object: 'file',
      bytes: Buffer.byteLength(file.content),
      created_at: Math.floor(Date.now() / 1000),
      filename: file.filename,
      purpose: file.purpose,
      status: 'processed',
    };
  }

  private store(content: string, purpose: string, filename: string): StoredFile {
    const file = { id: `file-${this.files.size + 1}`, purpose, filename, content };
    this.files.set(file.id, file);
    return file;
  }

  private upload(raw: string, headers: IncomingHttpHeaders): Answer {
    const boundary = /boundary=("?)([^";]+)\1/.exec(headers['content-type'] ?? '')?.[2];
    if (!boundary)
      return { status: 400, body: { error: { message: 'expected multipart/form-data' } } };
    const fields = new Map<string, { filename?: string; value: string }>();
    for (const part of raw.split(`--${boundary}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const head = part.slice(0, split);
      const name = /name="([^"]+)"/.exec(head)?.[1];
      if (!name) continue;
      const value = part.slice(split + 4).replace(/\r\n$/, '');
      fields.set(name, { filename: /filename="([^"]*)"/.exec(head)?.[1], value });
    }
    const file = fields.get('file');
    const purpose = fields.get('purpose')?.value;
    if (!file || purpose !== 'batch')
      return { status: 400, body: { error: { message: 'a file and purpose=batch are required' } } };
    this.uploads += 1;
    return {
      status: 200,
      body: this.fileObject(this.store(file.value, purpose, file.filename ?? 'input.jsonl')),
    };
  }

  private create(raw: string): Answer {
    const body = JSON.parse(raw) as {
      input_file_id?: string;
      endpoint?: string;
      completion_window?: string;
      metadata?: Record<string, string>;
    };
    const input = this.files.get(body.input_file_id ?? '');
    if (!input) return notFound(`file ${body.input_file_id}`);
    if (body.completion_window !== '24h' || body.endpoint !== '/v1/chat/completions')
      return {
        status: 400,
        body: {
          error: { message: 'completion_window must be 24h, endpoint /v1/chat/completions' },
        },
      };
    const batch: BatchRecord = {
      id: `batch_${this.batches.length + 1}`,
      inputFileId: input.id,
      endpoint: body.endpoint,
      metadata: body.metadata ?? null,
      createdAt: Date.now(),
      outcome: this.options.outcomes?.[this.batches.length] ?? 'completed',
      status: 'validating',
      counts: { total: 0, completed: 0, failed: 0 },
      outputFileId: null,
      errorFileId: null,
      errors: null,
      ran: false,
    };
    this.batches.push(batch);
    return { status: 200, body: this.view(batch) };
  }

  /** The batch as the API shows it now (time moves it on). */
  private view(batch: BatchRecord) {
    this.advance(batch);
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      errors: batch.errors,
      input_file_id: batch.inputFileId,
      completion_window: '24h',
      status: batch.status,
      output_file_id: batch.outputFileId,
      error_file_id: batch.errorFileId,
      created_at: Math.floor(batch.createdAt / 1000),
      request_counts: batch.counts,
      metadata: batch.metadata,
    };
  }

  private advance(batch: BatchRecord): void {
    if (batch.ran) return;
    const delay = this.options.delayMs ?? 20;
    const now = Date.now();
    const lines = this.files.get(batch.inputFileId)!.content.split('\n').filter(Boolean);
    if (now - batch.createdAt < delay) return;
    const invalid = validateInputFile(lines);
    if (batch.outcome === 'failed' || invalid) {
      batch.status = 'failed';
      batch.errors = {
        object: 'list',
        data: [invalid ?? { code: 'invalid_request', message: 'the batch failed', line: null }],
      };
      batch.ran = true;
      return;
    }
    batch.counts.total = lines.length;
    if (batch.cancelledAt !== undefined) {
      if (now - batch.cancelledAt < delay) batch.status = 'cancelling';
      else this.run(batch, lines, 'cancelled');
      return;
    }
    if (now - batch.createdAt < 2 * delay) batch.status = 'in_progress';
    else if (now - batch.createdAt < 3 * delay) batch.status = 'finalizing';
    else this.run(batch, lines, batch.outcome);
  }

  /** Runs the lines (all, or the first ones before an expiry or a cancel) and writes the files. */
  private run(batch: BatchRecord, lines: string[], outcome: BatchOutcome): void {
    const partial = outcome === 'expired' || outcome === 'cancelled';
    const answered = partial
      ? Math.min(lines.length, this.options.answeredBeforeEnd ?? Math.floor(lines.length / 2))
      : lines.length;
    const output: string[] = [];
    const errors: string[] = [];
    for (const [index, text] of lines.entries()) {
      const line = JSON.parse(text) as { custom_id: string; body: ChatBody };
      const id = `batch_req_${batch.id}_${index}`;
      if (index >= answered) {
        const code = outcome === 'expired' ? 'batch_expired' : 'batch_cancelled';
        const message =
          outcome === 'expired'
            ? 'This request could not be executed before the completion window expired.'
            : 'This request was not executed because the batch was cancelled.';
        errors.push(
          JSON.stringify({
            id,
            custom_id: line.custom_id,
            response: null,
            error: { code, message },
          }),
        );
        continue;
      }
      this.runsByCustomId.set(line.custom_id, (this.runsByCustomId.get(line.custom_id) ?? 0) + 1);
      const { completion, fault } = this.answerLine(line.body, line.custom_id);
      const status = fault === '500' || fault === '429' || fault === '401' ? Number(fault) : 200;
      const response = {
        status_code: status,
        request_id: id,
        body:
          status === 200
            ? completion
            : { error: { message: `error ${status}`, type: 'server_error' } },
      };
      (status === 200 ? output : errors).push(
        JSON.stringify({ id, custom_id: line.custom_id, response, error: null }),
      );
    }
    batch.counts.completed = output.length;
    batch.counts.failed = errors.length;
    if (output.length > 0)
      batch.outputFileId = this.store(
        `${output.join('\n')}\n`,
        'batch_output',
        `${batch.id}_output.jsonl`,
      ).id;
    if (errors.length > 0)
      batch.errorFileId = this.store(
        `${errors.join('\n')}\n`,
        'batch_output',
        `${batch.id}_error.jsonl`,
      ).id;
    batch.status = outcome;
    batch.ran = true;
  }
}
