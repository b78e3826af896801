import type { BatchApi, BatchObject } from './batch-api.js';
import type { ChatResponse } from './chat-provider.js';
import { toChatResponse } from './openai-provider.js';
import { ProviderCallError } from './retry-policy.js';

/** One line of a batch's output or error file. */
interface ResultLine {
  custom_id?: string;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

/** The error of a request the batch did not run (expired, cancelled, or absent from its files). */
export function missingAnswer(batch: BatchObject): ProviderCallError {
  return new ProviderCallError(
    `batch ${batch.id} ended ${batch.status} without an answer for this request; --resume --retry-errors sends it in a new batch`,
    { code: `batch_${batch.status}` },
  );
}

function failedBatch(batch: BatchObject): ProviderCallError {
  const problems = (batch.errors?.data ?? [])
    .slice(0, 3)
    .map(
      (error) =>
        `${error.code ?? 'error'}${error.line ? ` at line ${error.line}` : ''}: ${error.message ?? ''}`,
    )
    .join('; ');
  // The same file would fail alike: not retryable.
  return new ProviderCallError(`batch ${batch.id} failed (${problems || 'no reason given'})`, {
    status: 400,
    code: 'batch_failed',
  });
}

function lineAnswer(batch: BatchObject, line: ResultLine): ChatResponse | ProviderCallError {
  const status = line.response?.status_code;
  if (status === 200) {
    try {
      return toChatResponse(line.response?.body);
    } catch (error) {
      return error as ProviderCallError;
    }
  }
  if (status !== undefined) {
    const body = line.response?.body as { error?: { message?: unknown } } | undefined;
    const detail = typeof body?.error?.message === 'string' ? body.error.message : '';
    return new ProviderCallError(
      `the batch ${batch.id} answered ${status} for this request (${detail})`,
      {
        status,
      },
    );
  }
  return new ProviderCallError(
    `${line.error?.message ?? 'no answer'} (batch ${batch.id}, ${batch.status}); --resume --retry-errors sends it in a new batch`,
    { code: line.error?.code ?? `batch_${batch.status}` },
  );
}

/**
 * The answer (or error) per `custom_id` of an ended batch, from its output and error files. A
 * failed batch gives its error to every request; an expired or cancelled one keeps the answers
 * it finished.
 */
export async function deliveredAnswers(
  api: BatchApi,
  batch: BatchObject,
): Promise<{ get(id: string): ChatResponse | ProviderCallError | undefined }> {
  if (batch.status === 'failed') {
    const error = failedBatch(batch);
    return { get: () => error };
  }
  const answers = new Map<string, ChatResponse | ProviderCallError>();
  for (const fileId of [batch.output_file_id, batch.error_file_id]) {
    if (!fileId) continue;
    for (const text of (await api.content(fileId)).split('\n')) {
      if (text.trim() === '') continue;
      let line: ResultLine;
      try {
        line = JSON.parse(text) as ResultLine;
      } catch {
        continue; // a line that is not JSON answers nothing: its request gets `missingAnswer`
      }
      if (typeof line.custom_id === 'string') answers.set(line.custom_id, lineAnswer(batch, line));
    }
  }
  return answers;
}

/** Whether a settled answer is a response (else it is the error to reject with). */
export function isResponse(value: unknown): value is ChatResponse {
  return typeof value === 'object' && value !== null && 'content' in value;
}
