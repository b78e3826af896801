import { redact } from '../common/secrets.js';
import { escapeHtml } from './html.js';

/** A quoted phrase: straight or curly double quotes, on one line. */
const quoted = /"([^"\n]+)"|“([^”\n]+)”/g;

/**
 * `text` escaped for HTML, each quoted phrase in it isolated (`<bdi>`, the quotes outside): a rule's
 * explanation listing Hebrew and Arabic phrases (`not found: "שלום עולם", "مرحبا بكم", "refund"`)
 * was drawn with the two phrases and the quotes between them as one right-to-left run, the Arabic
 * phrase first; and a phrase with a right-to-left override reversed what followed it. The text is
 * redacted first (`redact`).
 */
export function isolatedText(raw: string): string {
  // Redacted first: a secret holding a quote would be cut by the isolation, and missed after.
  const text = redact(raw);
  let html = '';
  let last = 0;
  for (const match of text.matchAll(quoted)) {
    const open = match[0][0]!;
    const close = match[0].at(-1)!;
    const phrase = match[1] ?? match[2] ?? '';
    html += `${escapeHtml(text.slice(last, match.index!))}${escapeHtml(open)}<bdi>${escapeHtml(phrase)}</bdi>${escapeHtml(close)}`;
    last = match.index! + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}
