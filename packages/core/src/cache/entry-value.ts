// A cache entry's value, with the JSON text of its `trace` remembered: a warm run writes each
// hit's trace into its result line, and that text is what `JSON.stringify` would write again.

/** The last key of an output as `JSON.stringify` writes it (`set` in directory-cache.ts). */
const traceKey = ',"trace":';
/** Each trace read from an entry, to its text there (never changed in place: see `rawTraceText`). */
const traceTexts = new WeakMap<object, string>();

/**
 * The JSON text a trace was read from, when it came from a cache entry: `JSON.stringify(trace)`
 * gives the same text (an entry is `JSON.stringify` output with registered secrets replaced by a
 * plain word, and such text is written back the same), so a result line can take it as it is.
 * Undefined for any other value. Plexus never changes a trace in place (dropping prompts copies it).
 */
export function rawTraceText(trace: unknown): string | undefined {
  return typeof trace === 'object' && trace !== null ? traceTexts.get(trace) : undefined;
}

/**
 * `JSON.parse(line.slice(from))`, the same value; when the entry's last key is `trace`, it is
 * parsed apart from the rest and its text remembered (`rawTraceText`). The two parses cost what
 * one does. The first `,"trace":` of the text (never inside a string, where quotes are escaped)
 * is the top-level key exactly when the text before it, closed with `}`, parses (a key inside a
 * nested object would leave a bracket open), and the trace is the last key exactly when the text
 * after it parses as one value. Anything else is parsed whole. Throws as `JSON.parse` does.
 */
export function entryValue(line: string, from: number): unknown {
  const at = line.indexOf(traceKey, from);
  if (at < 0 || line.charCodeAt(line.length - 1) !== 125 /* } */)
    return JSON.parse(line.slice(from));
  const traceText = line.slice(at + traceKey.length, -1);
  let head: unknown;
  let trace: unknown;
  try {
    head = JSON.parse(`${line.slice(from, at)}}`);
    trace = JSON.parse(traceText);
  } catch {
    return JSON.parse(line.slice(from));
  }
  // A head of another kind, or with its own `trace` (a key given twice), is read whole.
  if (
    typeof head !== 'object' ||
    head === null ||
    Array.isArray(head) ||
    Object.hasOwn(head, 'trace')
  )
    return JSON.parse(line.slice(from));
  (head as { trace?: unknown }).trace = trace;
  // An object's text from its first character to its last (no space around it).
  if (
    typeof trace === 'object' &&
    trace !== null &&
    traceText.charCodeAt(0) === 123 /* { */ &&
    traceText.charCodeAt(traceText.length - 1) === 125 /* } */
  )
    traceTexts.set(trace, traceText);
  return head;
}
