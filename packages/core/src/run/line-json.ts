// The JSON of a result line, as `JSON.stringify(line)` writes it, character for character, with
// less work for the lines `toResultLine` makes (600,000 in a rules run): their fixed keys are
// constant text, the run of fields before the explanation is remembered per score and answer, and
// `JSON.stringify` is called only for the strings and nested values. Any line of another shape or
// with a value of another type is written by `JSON.stringify` itself.
import type { ResultLine } from './result-line.js';

/** The keys every line has, in `toResultLine`'s order. */
const fixedKeys = [
  'item_id',
  'score',
  'value',
  'status',
  'label',
  'correct',
  'explanation',
  'confidence',
  'cost_usd',
  'input_tokens',
  'output_tokens',
  'llm_calls',
  'retries',
  'latency_ms',
  'cached',
  'error',
] as const;

/** Keys after the fixed ones taken here, in order (any other, e.g. `probabilities`: JSON.stringify). */
const tailKeys = ['trace', 'text'] as const;

/** Answers remembered at most, and the longest value or label remembered. */
const rememberedAnswers = 4096;
const rememberedLength = 200;
let remembered = 0;
/**
 * The text of each answer, by score, status, value and label (a Map tells null from "null"), then
 * `correct` (true, false, null at 0, 1, 2).
 */
const answerTexts = new Map<
  string,
  Map<string, Map<string | null, Map<string | null, (string | undefined)[]>>>
>();
const allZero =
  ',"cost_usd":0,"input_tokens":0,"output_tokens":0,"llm_calls":0,"retries":0,"latency_ms":';

/** Which tail keys the line has (bit 1: trace, bit 2: text), or -1 when its keys are not those. */
function shapeOf(line: object): number {
  let index = 0;
  let tail = 0;
  let next = 0;
  // for...in also sees inherited enumerable keys, which JSON.stringify does not: such a line is
  // refused, as is any extra, missing or reordered key.
  for (const key in line) {
    if (index < fixedKeys.length) {
      if (key !== fixedKeys[index]) return -1;
    } else {
      const at = key === tailKeys[0] ? 0 : key === tailKeys[1] ? 1 : -1;
      if (at < next) return -1;
      tail |= 1 << at;
      next = at + 1;
    }
    index += 1;
  }
  return index >= fixedKeys.length ? tail : -1;
}

const isTextOrNull = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';

const isNumberOrNull = (value: unknown): value is number | null =>
  value === null || typeof value === 'number';

/** An object JSON.stringify writes the same alone as inside the line (no `toJSON` of its own). */
function isPlainValue(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** A number as JSON writes it: `String` of a finite number, else null. */
function numberText(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : 'null';
}

/** `,"score":…,"value":…,"status":…,"label":…,"correct":…,"explanation":` */
function answerText(
  score: string,
  value: string | null,
  status: string,
  label: string | null,
  correct: boolean | null,
): string {
  const byCorrect = answerTexts.get(score)?.get(status)?.get(value)?.get(label);
  const slot = correct === true ? 0 : correct === false ? 1 : 2;
  const known = byCorrect?.[slot];
  if (known !== undefined) return known;
  const text = `,"score":${JSON.stringify(score)},"value":${JSON.stringify(value)},"status":${JSON.stringify(status)},"label":${JSON.stringify(label)},"correct":${JSON.stringify(correct)},"explanation":`;
  const long = (value?.length ?? 0) > rememberedLength || (label?.length ?? 0) > rememberedLength;
  if (long || remembered >= rememberedAnswers) return text;
  remembered += 1;
  const byStatus = mapIn(answerTexts, score);
  const byValue = mapIn(byStatus, status);
  const byLabel = mapIn(byValue, value);
  let texts = byLabel.get(label);
  if (!texts) {
    texts = [];
    byLabel.set(label, texts);
  }
  texts[slot] = text;
  return text;
}

/** The map `outer` holds at `key`, made when missing. */
function mapIn<Key, Inner extends Map<unknown, unknown>>(outer: Map<Key, Inner>, key: Key): Inner {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map() as Inner;
    outer.set(key, inner);
  }
  return inner;
}

/** The costs, tokens, calls, retries and latency, with their keys. */
function countsText(line: ResultLine): string | undefined {
  const { cost_usd, input_tokens, output_tokens, llm_calls, retries, latency_ms } = line;
  if (
    !isNumberOrNull(cost_usd) ||
    typeof input_tokens !== 'number' ||
    typeof output_tokens !== 'number' ||
    typeof llm_calls !== 'number' ||
    typeof retries !== 'number' ||
    typeof latency_ms !== 'number'
  )
    return undefined;
  const latency = numberText(latency_ms);
  if (
    cost_usd === 0 &&
    input_tokens === 0 &&
    output_tokens === 0 &&
    llm_calls === 0 &&
    retries === 0
  )
    return allZero + latency;
  return `,"cost_usd":${numberText(cost_usd)},"input_tokens":${numberText(input_tokens)},"output_tokens":${numberText(output_tokens)},"llm_calls":${numberText(llm_calls)},"retries":${numberText(retries)},"latency_ms":${latency}`;
}

/** The line's JSON by the fast path, or undefined when it does not apply (exported for tests). */
export function fastJson(line: ResultLine): string | undefined {
  if (Object.getPrototypeOf(line) !== Object.prototype) return undefined;
  const tail = shapeOf(line);
  if (tail < 0) return undefined;
  const { item_id, score, value, status, label, correct, explanation, confidence } = line;
  const { cached, error, trace, text } = line;
  if (typeof item_id !== 'string' || typeof score !== 'string' || typeof status !== 'string')
    return undefined;
  if (!isTextOrNull(value) || !isTextOrNull(label) || !isTextOrNull(explanation)) return undefined;
  if (correct !== null && typeof correct !== 'boolean') return undefined;
  if (!isNumberOrNull(confidence) || typeof cached !== 'boolean') return undefined;
  if (error !== null && !isPlainValue(error)) return undefined;
  if ((tail & 1) !== 0 && !isPlainValue(trace)) return undefined;
  if ((tail & 2) !== 0 && typeof text !== 'string') return undefined;
  const counts = countsText(line);
  if (counts === undefined) return undefined;
  let json = `{"item_id":${JSON.stringify(item_id)}${answerText(score, value, status, label, correct)}${explanation === null ? 'null' : JSON.stringify(explanation)},"confidence":${numberText(confidence)}${counts},"cached":${cached},"error":${error === null ? 'null' : JSON.stringify(error)}`;
  if ((tail & 1) !== 0) json += `,"trace":${JSON.stringify(trace)}`;
  if ((tail & 2) !== 0) json += `,"text":${JSON.stringify(text)}`;
  return `${json}}`;
}

/**
 * Lines of a process written by `JSON.stringify` before the fast path is taken: until V8 has
 * compiled it, the fast path is slower (measured in fresh processes: 10,000 rule lines 81-114 ms
 * by it, 65-80 ms by JSON.stringify; even at 100,000; 600,000 lines 1.29-1.32 s vs 1.52-1.58 s).
 */
export const jsonWarmUpLines = 50_000;
let linesWritten = 0;

/** `JSON.stringify(line)`, the same text, faster for the lines `toResultLine` makes in a long run. */
export function resultLineJson(line: ResultLine): string {
  if (linesWritten < jsonWarmUpLines) {
    linesWritten += 1;
    return JSON.stringify(line);
  }
  return fastJson(line) ?? JSON.stringify(line);
}
