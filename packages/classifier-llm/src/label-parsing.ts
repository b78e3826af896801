import { matchLabel, normalizeLabel, redactedSlice } from '@plexus/core';
import { mayBeCut, mayBeCutProblem } from './answer-notes.js';
import type { ChatResponse } from './chat-provider.js';
import { cutFirstLabel, jsonLabel, jsonObjectOf, type LabelReading } from './json-answer.js';
import { askedAfter, asks, lineLabels } from './label-statements.js';

export type { LabelReading } from './json-answer.js';

/** An answer's label, or why it has none: a refusal, or an answer cut at `max_tokens`, has none. */
export function answerReading(
  response: ChatResponse,
  labels: readonly string[],
  maxTokens: number,
): LabelReading {
  if (response.refusal !== undefined)
    return {
      problem: `the model refused: ${JSON.stringify(redactedSlice(response.refusal, 0, 100))}`,
    };
  // Cut, or maybe cut (no finish_reason, all max_tokens used), it may still have given its label
  // whole: as its first JSON field, or as all it said.
  const possiblyCut = mayBeCut(response, maxTokens);
  if (response.cutAtMaxTokens || possiblyCut) {
    const field = cutFirstLabel(response.content);
    const label =
      field === undefined ? cutTextLabel(response.content, labels) : matchLabel(field, labels);
    if (label !== undefined) return { label };
    if (possiblyCut) return { problem: mayBeCutProblem(response, maxTokens) };
    return { problem: `it was cut at max_tokens (${maxTokens}) before it ended: raise max_tokens` };
  }
  return readLabel(response.content, labels);
}

/**
 * A cut answer that is a label and nothing else, unless a longer label starts with it: cut after
 * "yes", the model may have been writing "yes, partly".
 */
function cutTextLabel(content: string, labels: readonly string[]): string | undefined {
  if (asks(content.trim())) return undefined;
  const label = matchLabel(content.trim(), labels);
  if (label === undefined) return undefined;
  const start = normalizeLabel(content.trim());
  const longer = labels.some((other) => {
    const written = normalizeLabel(other);
    return written.length > start.length && written.startsWith(start);
  });
  return longer ? undefined : label;
}

/** The answer that names no label (`textLabel`): its correction says so as it always did. */
const namesNone = 'it names none of the labels';

/**
 * The start of a corrective message: why the answer gave no label ("it names 2 (spam, ham)", "it
 * was cut at max_tokens"), so the model can mend it; an answer naming none is told so as before.
 */
export function correctionOf(problem: string | undefined): string {
  return problem === undefined || problem === namesNone
    ? 'That answer has none of the labels.'
    : `That answer gives no single label: ${problem}.`;
}

/**
 * The last answer as an error quotes it: its first 300 characters, JSON-quoted, cut around a
 * secret rather than through it (the line's redaction finds secrets whole only).
 */
export function quotedAnswer(answers: readonly string[]): string {
  const last = answers.at(-1);
  return last === undefined ? 'none' : JSON.stringify(redactedSlice(last, 0, 300));
}

/** Why the last answer gave no label, for an error message: ` (why: it names none of the labels)`. */
export function whyNot(answer: { problem?: string }): string {
  return answer.problem === undefined ? '' : ` (why: ${answer.problem})`;
}

/** The label an answer gives, or undefined when it gives none (see `readLabel`). */
export function parseLabel(answer: string, labels: readonly string[]): string | undefined {
  return readLabel(answer, labels).label;
}

/**
 * The label an answer gives, or why it gives none. A reasoning model's `<think>` block is not the
 * answer (an unfinished one is no answer); a JSON object (alone, in a code fence or with prose
 * around it) gives its `label` or none, never a word of its reasoning; JSON cut short gives none.
 * Text gives the label right after its last `Answer:`/`Label:`, else the label its first or last
 * line holds alone, else the label of its last line that names one: a line naming two labels
 * ("spam or ham") gives none.
 */
export function readLabel(answer: string, labels: readonly string[]): LabelReading {
  const final = afterThinking(answer);
  if (final === undefined)
    return { problem: 'it is an unfinished <think> block: no answer after the reasoning' };
  return jsonLabel(final, labels) ?? textLabel(final, labels);
}

/** The answer after a reasoning model's `<think>…</think>`; undefined when the block never closes. */
export function afterThinking(answer: string): string | undefined {
  const closings = [...answer.matchAll(/<\/think(?:ing)?>/gi)];
  const last = closings.at(-1);
  if (last) return answer.slice(last.index + last[0].length);
  return /<think(?:ing)?>/i.test(answer) ? undefined : answer;
}

/** Markup and quotes before a line's text (`**ham**`, `- ham`, `"ham"`), and after it. */
const markupBefore = /[\s*_"'`#>-]/;
const markupAfter = /[\s*_"'`]/;

/**
 * A line without the markup and quotes around its text, in one pass: a regular expression's
 * `[…]+$` tried again at each blank of a long run of them took 36 s for 200,000 spaces.
 */
function bareText(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && markupBefore.test(line[start]!)) start += 1;
  while (end > start && markupAfter.test(line[end - 1]!)) end -= 1;
  return line.slice(start, end);
}

/** Words that introduce the answer in text: `Answer: ham`, `**Label:** ham`. */
const answerMarker =
  /(?<![\p{L}\p{N}_])(?:final answer|answer|label|classification|category)\s*[:\uff1a]/giu;

/**
 * A text answer's label: after its last answer marker, else the label a line holds alone, else
 * its last line naming one.
 */
function textLabel(answer: string, labels: readonly string[]): LabelReading {
  // One Unicode form for the answer and the labels: a "café" written with a combining accent.
  const text = answer.normalize('NFC');
  const pattern = labelPattern(labels);
  // Anchored where the marker's answer starts: each marker costs a label's length, not a search
  // of the rest (1.1 MB of markers took 10 CPU seconds).
  const right = new RegExp(pattern.source, 'iuy');
  for (const marker of [...text.matchAll(answerMarker)].reverse()) {
    let at = marker.index + marker[0].length;
    while (at < text.length && /[\s*"'`_]/.test(text[at]!)) at += 1;
    right.lastIndex = at;
    const first = right.exec(text);
    // "Answer: spam?" asks (the marker's next words weigh it), it does not answer.
    if (first && !askedAfter(text, right.lastIndex))
      return { label: matchLabel(first[1]!, labels)! };
  }
  const lines = text.split(/\r?\n/);
  const alone = aloneLabels(lines, labels);
  if (alone.length === 1) return { label: alone[0]! };
  if (alone.length > 1)
    return {
      problem: `it gives ${alone.length} labels on lines of their own (${alone.join(', ')})`,
    };
  // Labels named in a question ("Spam?", "Is it spam or ham?") are asked about, not stated.
  let question: string | undefined;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const { stated, asked } = lineLabels(lines[index]!, pattern, labels);
    if (stated.length === 1) return { label: stated[0]! };
    if (stated.length > 1)
      return {
        problem: `its last line naming a label names ${stated.length} (${stated.join(', ')}): ${quotedLine(lines[index]!)}`,
      };
    if (asked) question ??= lines[index]!;
  }
  if (question !== undefined)
    return { problem: `it names a label only in a question: ${quotedLine(question)}` };
  return { problem: namesNone };
}

/** A line as a problem quotes it: its first 60 characters, JSON-quoted. */
function quotedLine(line: string): string {
  return JSON.stringify(redactedSlice(line.trim(), 0, 60));
}

/**
 * The labels the first and last written lines hold alone ("ham" then why, "not spam" in it). A
 * line between is reasoning: a recited list of the labels, an option weighed. A question ("Spam?")
 * holds none. A first line alone is the answer even when the explanation below starts in lower
 * case ("ham\nit is a normal message, not spam"): a small model's usual answer. The rare sentence
 * that starts with a label word on a line of its own ("Spam\nfilters would catch it, but this one
 * is ham") reads as that label; telling the two apart takes more than the lines' shapes.
 */
function aloneLabels(lines: readonly string[], labels: readonly string[]): string[] {
  const written = lines.flatMap((line, index) => (line.trim() === '' ? [] : [index]));
  const ends = written.length > 1 ? [written[0]!, written.at(-1)!] : written;
  const found: string[] = [];
  for (const index of ends) {
    const bare = bareText(lines[index]!);
    const label = asks(bare) ? undefined : matchLabel(bare, labels);
    if (label !== undefined) found.push(label);
  }
  return [...new Set(found)];
}

/** Any label, on word boundaries, ignoring case, longer labels first (they contain shorter ones). */
function labelPattern(labels: readonly string[]): RegExp {
  const ordered = labels
    .map((label) => label.normalize('NFC'))
    .sort((left, right) => right.length - left.length);
  return new RegExp(
    `(?<![\\p{L}\\p{N}_])(${ordered.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`,
    'giu',
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The label mentioned last, on word boundaries and ignoring case: models reason first and answer
 * last, so "not spam... Answer: ham" gives ham. Longer labels win over labels they contain.
 */
export function lastLabel(text: string, labels: readonly string[]): string | undefined {
  const pattern = labelPattern(labels);
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last === undefined ? undefined : matchLabel(last, labels);
}

/**
 * The reasoning of a JSON answer (alone, fenced or with prose around it), else the answer after a
 * reasoning model's `<think>` block, shortened.
 */
export function explanationOf(answer: string): string {
  // What follows a reasoning model's <think> block (the block itself when nothing does).
  const final = afterThinking(answer)?.trim() || answer;
  const reasoning = jsonObjectOf(final).object?.reasoning;
  const shown = typeof reasoning === 'string' ? reasoning : final;
  // Its first 1,000 characters, the JSON's reasoning too (it was whole: 300 KB in a result line).
  return shown.length > 1000 ? `${redactedSlice(shown, 0, 1000)}…` : shown;
}

/** The instruction added to every labelled question. */
export function labelInstruction(labels: readonly string[]): string {
  return `Reason briefly, then answer with exactly one label. Labels: ${labelList(labels)}`;
}

/**
 * The labels as a prompt lists them: `spam, ham`; quoted when one holds a comma or a quote
 * (`"yes", "yes, partly", "no"`: unquoted, a model read four labels).
 */
export function labelList(labels: readonly string[]): string {
  return labels.some((label) => /[,"]/.test(label))
    ? labels.map((label) => JSON.stringify(label)).join(', ')
    : labels.join(', ');
}
