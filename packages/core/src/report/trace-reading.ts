import { redact } from '../common/secrets.js';

/** One LLM call found in a trace (`prompts` lists, see `LineStorageOptions.tracePrompts`). */
export interface TracedCallEntry {
  /** Where in the score it was made: `node "task"`, `chunk 2`, or empty for a one-prompt score. */
  where: string;
  messages: { role: string; content: string }[];
  answer: string;
  /** A correction: the messages follow the previous call's answer. */
  continues: boolean;
  /** Cut when stored (8 KB per call) or here (`reportMessageChars`). */
  truncated: boolean;
}

/** Calls a report shows per item at most; characters of one message or answer it shows. */
export const reportCallsPerItem = 12;
export const reportMessageChars = 4000;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A message for the page, redacted before it is cut (a cut inside a secret would keep a piece). */
function shortened(whole: string): { text: string; cut: boolean } {
  const text = redact(whole);
  if (text.length <= reportMessageChars) return { text, cut: false };
  const head = Math.ceil((reportMessageChars * 2) / 3);
  const tail = reportMessageChars - head;
  return {
    text: `${text.slice(0, head)} […${text.length - reportMessageChars} characters cut…] ${text.slice(-tail)}`,
    cut: true,
  };
}

function callOf(value: unknown, where: string): TracedCallEntry | undefined {
  const call = record(value);
  if (!call || !Array.isArray(call.messages)) return undefined;
  let truncated = call.truncated === true;
  const messages = call.messages.flatMap((message) => {
    const fields = record(message);
    if (!fields) return [];
    const content = shortened(String(fields.content ?? ''));
    truncated ||= content.cut;
    return [{ role: String(fields.role ?? ''), content: content.text }];
  });
  const answer = shortened(String(call.answer ?? ''));
  return {
    where,
    messages,
    answer: answer.text,
    continues: call.continues === true,
    truncated: truncated || answer.cut,
  };
}

/** Where a trace object sits: a graph node's name or a chunk's number. */
function placeOf(node: Record<string, unknown>, parent: string): string {
  if (typeof node.node === 'string') return `node "${node.node}"`;
  if (typeof node.chunk === 'number') return `chunk ${node.chunk + 1}`;
  return parent;
}

/**
 * The LLM calls a trace holds, in order, wherever they sit (`prompts` of a classifier, of each
 * graph node in `path`, of each chunk, of the node that failed), `reportCallsPerItem` at most.
 */
export function tracedCalls(trace: unknown): TracedCallEntry[] {
  const found: TracedCallEntry[] = [];
  const visit = (value: unknown, where: string, depth: number) => {
    if (depth > 6 || found.length >= reportCallsPerItem) return;
    if (Array.isArray(value)) {
      for (const entry of value) visit(entry, where, depth + 1);
      return;
    }
    const node = record(value);
    if (!node) return;
    const place = placeOf(node, where);
    for (const [key, child] of Object.entries(node)) {
      if (key === 'prompts' && Array.isArray(child)) {
        for (const call of child) {
          const entry = callOf(call, place);
          if (entry && found.length < reportCallsPerItem) found.push(entry);
        }
      } else if (typeof child === 'object') visit(child, place, depth + 1);
    }
  };
  visit(trace, '', 0);
  return found;
}

/**
 * The words a trace says matched, to highlight in the item's text: keywords' `hits` (`matched`,
 * with `start` when the hit's turn is the whole text), regex `matches` (`text`, `start`) and graph
 * extractor quotes (`path[].quote`). Negated keyword hits are left out.
 */
export function highlightsOf(trace: unknown): { text: string; start?: number }[] {
  const fields = record(trace);
  if (!fields) return [];
  const found: { text: string; start?: number }[] = [];
  const add = (text: unknown, start: unknown, wholeText: boolean) => {
    if (typeof text !== 'string' || text.trim() === '' || found.length >= 20) return;
    found.push(wholeText && typeof start === 'number' ? { text, start } : { text });
  };
  for (const hit of Array.isArray(fields.hits) ? fields.hits : []) {
    const entry = record(hit);
    if (entry && !entry.negated_by) add(entry.matched, entry.start, entry.turn === 0);
  }
  for (const match of Array.isArray(fields.matches) ? fields.matches : []) {
    const entry = record(match);
    if (entry) add(entry.text, entry.start, entry.turn === 0);
  }
  for (const step of Array.isArray(fields.path) ? fields.path : [])
    add(record(step)?.quote, 0, false);
  return found;
}
