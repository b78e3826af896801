import { randomUUID } from 'node:crypto';
import { hashValue } from '@plexus/core';
import type { BatchApi, BatchObject } from './batch-api.js';
import { pollUntilEnded } from './batch-poll.js';
import type { BatchRecord, OpenBatch } from './batch-record.js';
import { deliveredAnswers, isResponse, missingAnswer } from './batch-results.js';
import type { ChatRequest, ChatResponse } from './chat-provider.js';
import { chatBody } from './openai-wire.js';
import { whenAborted } from './when-aborted.js';

/** At most this many requests in one batch file (OpenAI's limit). */
export const maxBatchRequests = 50_000;
/** At most this many bytes in one batch file (OpenAI's limit is 200 MB). */
export const maxBatchBytes = 200_000_000;

export interface BatchCollectorOptions {
  api: BatchApi;
  record: BatchRecord;
  /** The endpoint and model the batches are for (a record holds several). */
  scope: string;
  model: string;
  /** First wait between polls, in milliseconds; each next one is 1.5 times longer, up to a minute. */
  pollMs: number;
  /** A batch is sent once no request came for this long (ms); default 200. */
  quietMs?: number;
  /** ...or this long after its first request (ms); default 2,000. */
  maxWaitMs?: number;
  /** The progress line; default standard error. */
  log?: (line: string) => void;
}

interface Waiter {
  resolve: (response: ChatResponse) => void;
  reject: (error: unknown) => void;
  stop: () => void;
}

interface Tracked extends OpenBatch {
  ids: Set<string>;
  polling: boolean;
  /** Its answers were handed out: nothing attaches to it any more. */
  done: boolean;
  /** Ends the wait between two polls early (nobody waits any more). */
  wake?: () => void;
}

/** The `custom_id` of a request: the same request in any run has the same one. */
export function customIdOf(request: ChatRequest): string {
  return hashValue(request);
}

/**
 * Collects the requests of many items into Batch API files: sent after a quiet moment (or at
 * 50,000 requests / 200 MB), polled with back-off until they end, answers handed back to the
 * calls that wait for them. Requests of a batch recorded in the run folder and not ended re-attach
 * to it (a resume submits nothing twice); the same request asked twice waits once.
 */
export class BatchCollector {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private unsent: { id: string; line: string }[] = [];
  private unsentBytes = 0;
  private readonly byId = new Map<string, Tracked>();
  private quietTimer: NodeJS.Timeout | undefined;
  private firstTimer: NodeJS.Timeout | undefined;
  private readonly loaded: Promise<void>;
  private readonly log: (line: string) => void;

  constructor(private readonly options: BatchCollectorOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.loaded = this.reattach();
    this.loaded.catch(() => {}); // reported to every request that waits on it
  }

  /** The answer to `request`, from a batch (this run's, or one a killed run left open). */
  async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
    await this.loaded;
    signal.throwIfAborted();
    const id = customIdOf(request);
    return new Promise<ChatResponse>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, stop: () => {} };
      waiter.stop = whenAborted(signal, () => {
        this.forget(id, waiter);
        reject(signal.reason);
      });
      const known = this.waiting.has(id) || this.byId.has(id);
      this.waitFor(id, waiter);
      const tracked = this.byId.get(id);
      if (tracked) this.poll(tracked);
      else if (!known) this.enqueue(id, request);
    });
  }

  private waitFor(id: string, waiter: Waiter): void {
    const waiters = this.waiting.get(id) ?? new Set<Waiter>();
    this.waiting.set(id, waiters);
    waiters.add(waiter);
  }

  private forget(id: string, waiter: Waiter): void {
    const waiters = this.waiting.get(id);
    waiters?.delete(waiter);
    if (waiters?.size === 0) this.waiting.delete(id);
    const tracked = this.byId.get(id);
    if (tracked && !this.hasWaiters(tracked)) tracked.wake?.();
  }

  private hasWaiters(tracked: Tracked): boolean {
    for (const id of tracked.ids) if (this.waiting.has(id)) return true;
    return false;
  }

  private enqueue(id: string, request: ChatRequest): void {
    const line = JSON.stringify({
      custom_id: id,
      method: 'POST',
      url: '/v1/chat/completions',
      body: chatBody(request),
    });
    const bytes = Buffer.byteLength(line) + 1;
    if (this.unsent.length >= maxBatchRequests || this.unsentBytes + bytes > maxBatchBytes)
      this.flush();
    this.unsent.push({ id, line });
    this.unsentBytes += bytes;
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.options.quietMs ?? 200);
    this.firstTimer ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? 2_000);
  }

  /** Sends the requests collected so far as one batch. */
  private flush(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.firstTimer);
    this.quietTimer = undefined;
    this.firstTimer = undefined;
    // Requests whose every caller gave up are not sent.
    const lines = this.unsent.filter((entry) => this.waiting.has(entry.id));
    this.unsent = [];
    this.unsentBytes = 0;
    if (lines.length === 0) return;
    const tracked: Tracked = {
      tag: randomUUID(),
      fileId: '',
      batchId: undefined,
      customIds: lines.map((entry) => entry.id),
      ids: new Set(lines.map((entry) => entry.id)),
      polling: false,
      done: false,
    };
    for (const id of tracked.ids) this.byId.set(id, tracked);
    const jsonl = `${lines.map((entry) => entry.line).join('\n')}\n`;
    this.submit(tracked, jsonl).catch((error: unknown) => this.settle(tracked, () => error));
  }

  private async submit(tracked: Tracked, jsonl: string): Promise<void> {
    tracked.fileId = await this.options.api.upload(jsonl, `plexus-${tracked.tag}.jsonl`);
    this.options.record.append({
      event: 'uploaded',
      scope: this.options.scope,
      tag: tracked.tag,
      file_id: tracked.fileId,
      custom_ids: tracked.customIds,
    });
    await this.start(tracked);
  }

  /** Creates the batch of an uploaded file, and polls it. */
  private async start(tracked: Tracked): Promise<void> {
    try {
      const batch = await this.options.api.create(tracked.fileId, tracked.tag);
      this.submitted(tracked, batch.id);
    } catch (error) {
      this.ended(tracked, null, 'not_submitted', 0, 0);
      throw error;
    }
    this.log(
      `plexus: batch ${tracked.batchId} (${this.options.model}): ${tracked.ids.size} requests submitted`,
    );
    this.poll(tracked);
  }

  private submitted(tracked: Tracked, batchId: string): void {
    tracked.batchId = batchId;
    this.options.record.append({
      event: 'submitted',
      scope: this.options.scope,
      tag: tracked.tag,
      batch_id: batchId,
    });
  }

  /** The batches a killed run left open: their requests wait on them, none is sent again. */
  private async reattach(): Promise<void> {
    const open = this.options.record.open(this.options.scope);
    if (open.length === 0) return;
    let listed: BatchObject[] | undefined;
    for (const entry of open) {
      const tracked: Tracked = {
        ...entry,
        ids: new Set(entry.customIds),
        polling: false,
        done: false,
      };
      for (const id of tracked.ids) this.byId.set(id, tracked);
      if (tracked.batchId) continue;
      // Killed between the upload and the batch: the batch made from this file, else one now.
      listed ??= await this.options.api.list();
      const made = listed.find((batch) => batch.input_file_id === tracked.fileId);
      if (made) this.submitted(tracked, made.id);
      else await this.start(tracked);
    }
  }

  private poll(tracked: Tracked): void {
    if (tracked.polling || !tracked.batchId) return;
    tracked.polling = true;
    this.pollLoop(tracked)
      .catch((error: unknown) => this.settle(tracked, () => error, false))
      .finally(() => {
        tracked.polling = false;
        // A request that came while the last poll ended starts the next loop.
        if (!tracked.done && this.hasWaiters(tracked)) this.poll(tracked);
      });
  }

  private async pollLoop(tracked: Tracked): Promise<void> {
    const batch = await pollUntilEnded({
      api: this.options.api,
      batchId: tracked.batchId!,
      model: this.options.model,
      requests: () => tracked.ids.size,
      pollMs: this.options.pollMs,
      log: this.log,
      waited: () => this.hasWaiters(tracked),
      pause: (delay) => this.pause(tracked, delay),
    });
    // Undefined: nobody waits (the run stopped): the batch stays open in the record for a resume.
    if (batch) await this.finish(tracked, batch);
  }

  /** Waits `delay` ms, or less when the last caller gives up. */
  private async pause(tracked: Tracked, delay: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      tracked.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    tracked.wake = undefined;
  }

  /** Reads an ended batch's output and error files and answers every request of it. */
  private async finish(tracked: Tracked, batch: BatchObject): Promise<void> {
    const answers = await deliveredAnswers(this.options.api, batch);
    this.settle(tracked, (id) => answers.get(id) ?? missingAnswer(batch));
    this.ended(
      tracked,
      batch.id,
      batch.status,
      batch.request_counts?.completed ?? 0,
      batch.request_counts?.failed ?? 0,
    );
  }

  private ended(
    tracked: Tracked,
    batchId: string | null,
    status: string,
    completed: number,
    failed: number,
  ): void {
    const event = { scope: this.options.scope, tag: tracked.tag, batch_id: batchId };
    this.options.record.append({ event: 'ended', ...event, status, completed, failed });
  }

  /**
   * Hands each request of the batch its answer (or error) and forgets the batch; `forgetBatch`
   * false keeps it attachable (a poll that failed: a later request polls again).
   */
  private settle(
    tracked: Tracked,
    answerOf: (id: string) => ChatResponse | unknown,
    forgetBatch = true,
  ): void {
    if (forgetBatch) tracked.done = true;
    for (const id of tracked.ids) {
      if (forgetBatch) this.byId.delete(id);
      const waiters = this.waiting.get(id);
      this.waiting.delete(id);
      const answer = answerOf(id);
      for (const waiter of waiters ?? []) {
        waiter.stop();
        if (answer instanceof Error || !isResponse(answer)) waiter.reject(answer);
        else waiter.resolve(answer);
      }
    }
  }
}
