import { matchLabel, redactedSlice } from '@plexus/core';

/** What an answer says: one of the labels, or why it gives none (never a guess). */
export type LabelReading =
  | { label: string; problem?: undefined }
  | { label?: undefined; problem: string };

/**
 * The JSON object an answer holds (alone, in a code fence or with prose around it), and whether
 * the answer meant to be JSON (it starts with `{` or a fenced `{`): JSON cut short is meant but
 * has no object.
 */
export function jsonObjectOf(answer: string): { object?: Record<string, unknown>; meant: boolean } {
  let body = answer.trim();
  const fenced = /```[\w-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/.exec(body)?.[1]?.trim();
  if (fenced?.startsWith('{')) body = fenced;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  let parsed: unknown;
  try {
    parsed = start >= 0 && end > start ? JSON.parse(body.slice(start, end + 1)) : undefined;
  } catch {
    parsed = undefined;
  }
  const object =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  return { ...(object ? { object } : {}), meant: body.startsWith('{') };
}

/** A JSON object's label, or why it has none; undefined when the answer is not JSON. */
export function jsonLabel(answer: string, labels: readonly string[]): LabelReading | undefined {
  const { object, meant } = jsonObjectOf(answer);
  if (!object && meant) {
    // Cut short after a whole first field `"label": "..."` (a small model's reasoning ran on
    // past max_tokens): that label was given in full.
    const first = cutFirstLabel(answer);
    const label = first === undefined ? undefined : matchLabel(first, labels);
    if (label !== undefined) return { label };
  }
  if (!object || !Object.hasOwn(object, 'label')) {
    if (!meant) return undefined; // prose that happens to hold braces: read as text
    return {
      problem: object ? 'its JSON has no "label"' : 'its JSON is cut short or invalid',
    };
  }
  const value = object.label;
  // A number or a boolean is the label it writes (`"label": 1` for labels 0 and 1), a number as
  // written: `1.0` is not the label 1 (JSON.parse reads it as 1).
  const written =
    typeof value === 'number'
      ? writtenNumber(answer, value)
      : typeof value === 'boolean'
        ? String(value)
        : value;
  const label = typeof written === 'string' ? matchLabel(written, labels) : undefined;
  if (label !== undefined) return { label };
  const shown = typeof value === 'number' ? written : JSON.stringify(value);
  return {
    problem: `its JSON label ${redactedSlice(typeof shown === 'string' ? shown : String(value), 0, 100)} is not one of the labels`,
  };
}

/**
 * A JSON `"label"` number as the answer writes it (`1.0`, `1e0`), found by its value; as
 * JavaScript writes it when no `"label": <number>` holds it.
 */
function writtenNumber(answer: string, value: number): string {
  for (const found of answer.matchAll(/"label"\s*:\s*(-?[0-9][0-9.eE+-]*)/g))
    if (Number(found[1]) === value) return found[1]!;
  return String(value);
}

/**
 * The string of a JSON answer's first field when it is `"label"` and closed, cut or not; none when
 * a second `"label"` follows (`{"label": "spam"} Actually: {"label": "ham"}`: it changed its mind).
 */
export function cutFirstLabel(answer: string): string | undefined {
  const found = /^\s*(?:```[\w-]*\s*)?\{\s*"label"\s*:\s*("(?:[^"\\\n]|\\.)*")/.exec(answer);
  const field = found?.[1];
  if (field === undefined || /"label"\s*:/.test(answer.slice(found![0].length))) return undefined;
  try {
    return JSON.parse(field) as string;
  } catch {
    return undefined;
  }
}
