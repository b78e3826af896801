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
   * Characters of the item's text a line keeps as `text` (with `text_length`, the whole length,
   * when cut), so reports and `plexus view` show what was scored; default 0: none.
   */
  itemTextChars?: number;
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

/** The line as stored: the item's text added (capped) and prompts dropped when asked. */
export function storedLine(
  line: ResultLine,
  itemText: string,
  options: LineStorageOptions,
): ResultLine {
  const limit = options.itemTextChars ?? 0;
  if (limit > 0) {
    line.text = itemText.length > limit ? itemText.slice(0, limit) : itemText;
    if (itemText.length > limit) line.text_length = itemText.length;
  }
  if (options.tracePrompts === false && line.trace !== undefined && hasPrompts(line.trace))
    line.trace = withoutPrompts(line.trace);
  return line;
}
