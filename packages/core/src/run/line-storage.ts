import { redactedSlice } from '../common/secrets.js';
import type { ResultLine } from './result-line.js';

/** What a stored result line keeps beside the result itself. */
export interface LineStorageOptions {
  /**
   * Keep the prompts LLM scores record in their trace (`prompts`: each call's rendered messages
   * and raw answer); default true. False (`plexus evaluate --no-trace-prompts`) drops every
   * `prompts` list from traces, those of cached results too.
   */
  tracePrompts?: boolean;
  /**
   * Characters of the item's text kept as `text` (with `text_length`, the whole length, when cut)
   * on the first line of each item (not on every score's line: results.jsonl holds each text
   * once), so reports show what was scored; default 0: none. Every line carries it in memory for
   * sinks (`textOfLine`).
   */
  itemTextChars?: number;
}

/** An item's text as a line carries it. */
export interface LineText {
  text: string;
  /** The whole text's length when `text` was cut. */
  length: number | null;
}

// In memory only (never serialised): the text of lines that do not store it, on a property that
// JSON, `Object.keys` and spreads do not see. A property, not a WeakMap keyed by the line: a
// rules run carries 500,000 such lines, and each WeakMap entry is an ephemeron the garbage
// collector handles one by one.
const carriedText = Symbol('plexus.lineText');

/** The item's text of a line: stored on it (`text`), or carried in memory by `storedLine`. */
export function textOfLine(line: ResultLine): LineText | undefined {
  if (line.text !== undefined) return { text: line.text, length: line.text_length ?? null };
  return (line as { [carriedText]?: LineText })[carriedText];
}

/** Characters of an item's text `plexus evaluate` keeps on each result line. */
export const defaultItemTextChars = 2000;

/** A copy of a trace without its `prompts` lists, at any depth (a graph keeps them per node). */
export function withoutPrompts(trace: unknown): unknown {
  if (Array.isArray(trace)) return trace.map(withoutPrompts);
  if (typeof trace !== 'object' || trace === null) return trace;
  const copy: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(trace)) {
    if (key === 'prompts' && Array.isArray(value)) continue;
    copy[key] = withoutPrompts(value);
  }
  return copy;
}

/** Whether a trace holds a `prompts` list anywhere (cheap: most traces are small). */
function hasPrompts(trace: unknown): boolean {
  if (Array.isArray(trace)) return trace.some(hasPrompts);
  if (typeof trace !== 'object' || trace === null) return false;
  for (const [key, value] of Object.entries(trace)) {
    if (key === 'prompts' && Array.isArray(value)) return true;
    if (hasPrompts(value)) return true;
  }
  return false;
}

/**
 * The first `chars` characters of a text, redacted before the cut (`redactedSlice` takes a secret
 * the cut would split whole): the line is redacted when written, but a cut inside a secret keeps a
 * piece that no longer equals it.
 */
function redactedStart(text: string, chars: number): string {
  return redactedSlice(text, 0, chars).slice(0, chars);
}

/**
 * The line as stored: the item's text (capped, redacted before the cut) on the item's `first` line, in memory on the others,
 * and prompts dropped when asked.
 */
export function storedLine(
  line: ResultLine,
  item: { text: string; first: boolean },
  options: LineStorageOptions,
): ResultLine {
  const limit = options.itemTextChars ?? 0;
  if (limit > 0) {
    const whole = item.text;
    const kept = {
      text: whole.length > limit ? redactedStart(whole, limit) : whole,
      length: whole.length > limit ? whole.length : null,
    };
    if (item.first) {
      line.text = kept.text;
      if (kept.length !== null) line.text_length = kept.length;
    } else Object.defineProperty(line, carriedText, { value: kept });
  }
  if (options.tracePrompts === false && line.trace !== undefined && hasPrompts(line.trace))
    line.trace = withoutPrompts(line.trace);
  return line;
}
