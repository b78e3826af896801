import { redact } from '@plexus/core';
import type { ChatMessage } from './chat-provider.js';

/**
 * Characters of one call a trace keeps (its messages and answer together, 8 KB of text): a
 * 1,000,000-item run's results.jsonl grows by at most this much per call.
 */
export const tracedCallChars = 8192;

/** Of `tracedCallChars`, the most an answer keeps; the rest goes to the messages. */
const answerChars = 2048;

/** One model call as the trace keeps it (`trace.prompts`): what was asked and what came back. */
export interface TracedCall {
  /**
   * The messages sent, rendered. A corrective call (after an answer without a label) lists only
   * the messages added after the previous call's answer, with `continues: true`.
   */
  messages: ChatMessage[];
  /** The model's raw answer. */
  answer: string;
  continues?: true;
  /** Set when the call was longer than `tracedCallChars`: the middle of long texts was cut. */
  truncated?: true;
}

/** `text` cut to `limit` characters: its start and end kept, the middle named as cut. */
export function cutMiddle(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const marker = ` […${text.length - limit} characters cut…] `;
  const keep = Math.max(0, limit - marker.length);
  const head = Math.ceil((keep * 2) / 3);
  return `${text.slice(0, head)}${marker}${text.slice(text.length - (keep - head))}`;
}

/**
 * Answers as a trace keeps them (`trace.answers`): each cut to 2,048 characters, its start and end
 * kept, as in `prompts` (a server sending 300 KB answers made 600 KB result lines).
 */
export function tracedAnswers(answers: readonly string[]): string[] {
  // Secrets redacted first, as for `prompts`: a cut could split one.
  return answers.map((answer) => cutMiddle(redact(answer), answerChars));
}

/** A call for the trace: secrets redacted first (a cut could split one), then size-capped. */
export function traceCall(sent: readonly ChatMessage[], answer: string): TracedCall {
  const lastAnswer = sent.findLastIndex((message) => message.role === 'assistant');
  const fresh = sent
    .slice(lastAnswer + 1)
    .map((message) => ({ role: message.role, content: redact(message.content) }));
  let shownAnswer = redact(answer);
  const total = fresh.reduce((sum, message) => sum + message.content.length, shownAnswer.length);
  const call: TracedCall = { messages: fresh, answer: shownAnswer };
  if (lastAnswer >= 0) call.continues = true;
  if (total <= tracedCallChars) return call;
  shownAnswer = cutMiddle(shownAnswer, answerChars);
  const room = tracedCallChars - shownAnswer.length;
  const sentChars = total - redact(answer).length;
  call.messages = fresh.map((message) => ({
    role: message.role,
    content: cutMiddle(
      message.content,
      Math.floor((room * message.content.length) / Math.max(1, sentChars)),
    ),
  }));
  call.answer = shownAnswer;
  call.truncated = true;
  return call;
}
