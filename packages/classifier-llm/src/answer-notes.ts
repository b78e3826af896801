import type { ChatResponse } from './chat-provider.js';
import { jsonObjectOf } from './json-answer.js';

/**
 * Whether an answer without a `finish_reason` (cached by an earlier Plexus, which kept none, or
 * from an endpoint that sends none) may have been cut at `max_tokens`: it used all of them, or its
 * tokens are unknown and it is at least `max_tokens` bytes long. One that used fewer ended on its
 * own, and one holding a whole JSON object (the structured answer) was not cut before its label.
 */
export function mayBeCut(response: ChatResponse, maxTokens: number): boolean {
  if (response.cutAtMaxTokens || typeof response.finishReason === 'string') return false;
  if (response.usageMissing !== true && response.outputTokens < maxTokens) return false;
  // Tokens unknown: a token holds at least one byte, so an answer of fewer UTF-8 bytes than
  // max_tokens used fewer tokens than that and ended on its own; its reasoning returned beside it
  // spent from the same max_tokens (the answer's bytes alone read a cut answer as complete).
  if (response.usageMissing === true && spentBytes(response) < maxTokens) return false;
  return jsonObjectOf(response.content).object === undefined;
}

/** The UTF-8 bytes an answer spent of `max_tokens`: its text and the reasoning returned beside it. */
function spentBytes(response: ChatResponse): number {
  return Buffer.byteLength(response.content) + (response.reasoningBytes ?? 0);
}

/** ` with its reasoning` when the answer's bytes count reasoning returned beside it. */
function withReasoning(response: ChatResponse, before: string, after: string): string {
  return response.reasoningBytes ? `${before}with its reasoning${after}` : '';
}

/** Why a possibly cut answer (see `mayBeCut`) gives no label. */
export function mayBeCutProblem(response: ChatResponse, maxTokens: number): string {
  const used = !response.usageMissing
    ? `it used all ${maxTokens} tokens`
    : response.reasoningBytes
      ? `its token count is unknown, and its ${spentBytes(response)} bytes${withReasoning(response, ' ', '')} reach max_tokens`
      : 'its token count is unknown';
  return `it may have been cut at max_tokens (${maxTokens}): it has no finish_reason (an answer cached by an earlier Plexus, or from an endpoint that sends none) and ${used}; raise max_tokens`;
}

/** Why an answer without a finish_reason reads as complete (`mayBeCut` said it was not cut). */
function completeReason(response: ChatResponse, maxTokens: number, used: string): string {
  if (!response.usageMissing && response.outputTokens < maxTokens) return used;
  if (response.usageMissing && spentBytes(response) < maxTokens)
    return `its token count is unknown, but its ${spentBytes(response)} bytes${withReasoning(response, ' (', ')')} are fewer than max_tokens (${maxTokens}), a token being at least a byte`;
  return 'it holds a whole JSON object';
}

/**
 * What the trace says of an answer that lacks what Plexus reads (`trace.answer_note`): no
 * `finish_reason` (how it was read), no token log-probabilities when they were asked for (why there
 * is no confidence). Undefined when nothing is missing.
 */
export function answerNote(
  response: ChatResponse,
  options: {
    /** From the response cache (else the endpoint just sent it). */
    cached: boolean;
    maxTokens: number;
    /** `logprobs: true`, a label was read and it has no confidence. */
    confidenceMissing: boolean;
  },
): string | undefined {
  const notes: string[] = [];
  // An answer this Plexus kept says whether its endpoint sent a finish_reason (null: none).
  const earlier = options.cached && response.finishReason === undefined && !response.cutAtMaxTokens;
  const source = earlier ? 'cached by an earlier Plexus' : 'the endpoint sent none';
  if (!response.cutAtMaxTokens && typeof response.finishReason !== 'string') {
    const used = response.usageMissing
      ? 'its token count is unknown'
      : `it used ${response.outputTokens} of ${options.maxTokens} tokens`;
    notes.push(
      mayBeCut(response, options.maxTokens)
        ? `no finish_reason (${source}), and ${used}: read as possibly cut at max_tokens`
        : `no finish_reason (${source}): read as complete, ${completeReason(response, options.maxTokens, used)}`,
    );
  }
  if (options.confidenceMissing)
    notes.push(
      response.tokenLogprobs
        ? 'no confidence: its token log-probabilities do not spell the answer'
        : `no confidence: no token log-probabilities (${source}${earlier ? ', which kept only the last token’s' : ''})`,
    );
  return notes.length === 0 ? undefined : notes.join('; ');
}
