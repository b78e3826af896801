import { isolatedText } from './bidi.js';
import { escapeHtml, format } from './html.js';
import type { ReportRow } from './report-data.js';
import type { TracedCallEntry } from './trace-reading.js';

/** Characters of an item's text shown before it is expanded. */
export const previewChars = 240;
/** Characters of a long explanation shown before it is expanded. */
const explanationPreviewChars = 400;

type Range = [number, number];

/** Where the highlights sit in `text`: at their offset when it holds them, else their first occurrence. */
export function highlightRanges(text: string, highlights: ReportRow['highlights']): Range[] {
  const lower = text.toLowerCase();
  const ranges: Range[] = [];
  for (const highlight of highlights) {
    const needle = highlight.text.toLowerCase();
    let start = -1;
    if (
      highlight.start !== undefined &&
      lower.slice(highlight.start, highlight.start + needle.length) === needle
    )
      start = highlight.start;
    else start = lower.indexOf(needle);
    if (start >= 0) ranges.push([start, start + needle.length]);
  }
  ranges.sort((left, right) => left[0] - right[0]);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** `text[from, to)` escaped, with the ranges inside it wrapped in `<mark>`. */
function marked(text: string, ranges: Range[], from: number, to: number): string {
  let html = '';
  let position = from;
  for (const [start, end] of ranges) {
    if (end <= from || start >= to) continue;
    const markStart = Math.max(start, from);
    const markEnd = Math.min(end, to);
    html += escapeHtml(text.slice(position, markStart));
    html += `<mark>${escapeHtml(text.slice(markStart, markEnd))}</mark>`;
    position = markEnd;
  }
  return html + escapeHtml(text.slice(position, to));
}

/** The item's text: a preview (around the first highlight) and the whole kept text on demand. */
export function renderItemText(row: Pick<ReportRow, 'text' | 'textLength' | 'highlights'>): string {
  if (row.text === null) return '<span class="muted">text not stored</span>';
  const text = row.text;
  const ranges = highlightRanges(text, row.highlights);
  if (text.length <= previewChars && row.textLength === null)
    return `<div class="text">${marked(text, ranges, 0, text.length)}</div>`;
  const first = ranges[0]?.[0] ?? 0;
  const from = Math.max(0, Math.min(first - 60, text.length - previewChars));
  const to = Math.min(text.length, from + previewChars);
  const preview = `${from > 0 ? '…' : ''}${marked(text, ranges, from, to)}${to < text.length || row.textLength !== null ? '…' : ''}`;
  const note =
    row.textLength === null
      ? `${text.length} characters`
      : `first ${text.length} of ${row.textLength} characters (results.jsonl keeps no more)`;
  return `<div class="text">${preview}</div><details class="full-text"><summary>whole text (${escapeHtml(note)})</summary><div class="text">${marked(text, ranges, 0, text.length)}</div></details>`;
}

/** A JSON object's fields as a definition list; any other text as it is. */
export function renderExplanation(detail: string): string {
  const trimmed = detail.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const fields = Object.entries(parsed)
          .map(
            ([key, value]) =>
              `<dt>${escapeHtml(key)}</dt><dd>${isolatedText(typeof value === 'string' ? value : JSON.stringify(value))}</dd>`,
          )
          .join('');
        return `<dl class="fields">${fields}</dl>`;
      }
    } catch {
      // not JSON: shown as text
    }
  }
  // Quoted phrases isolated: a rule's Hebrew and Arabic phrases were drawn out of their order.
  if (detail.length <= explanationPreviewChars * 1.5)
    return `<div class="detail">${isolatedText(detail)}</div>`;
  return `<div class="detail">${isolatedText(detail.slice(0, explanationPreviewChars))}…</div><details class="full-text"><summary>whole explanation (${detail.length} characters)</summary><div class="detail">${isolatedText(detail)}</div></details>`;
}

function renderCall(call: TracedCallEntry, index: number): string {
  const messages = call.messages
    .map(
      (message) =>
        `<div class="message"><span class="role">${escapeHtml(message.role)}</span><pre>${escapeHtml(message.content)}</pre></div>`,
    )
    .join('');
  const title = `call ${index + 1}${call.where ? ` · ${call.where}` : ''}${call.continues ? ' · correction' : ''}${call.truncated ? ' · shortened' : ''}`;
  return `<details class="call"><summary>${escapeHtml(title)}</summary>${messages}<div class="message answer"><span class="role">answer</span><pre>${escapeHtml(call.answer)}</pre></div></details>`;
}

/** Each LLM call of a row: what the model was asked and what it answered. */
export function renderCalls(calls: readonly TracedCallEntry[]): string {
  if (calls.length === 0) return '';
  return `<div class="calls">${calls.map(renderCall).join('')}</div>`;
}

function label(value: string | null): string {
  return value === null ? '<span class="muted">—</span>' : escapeHtml(value);
}

/** The header of the table `renderItemRow` rows go in. */
export const itemTableHead =
  '<thead><tr><th>item</th><th>text</th><th>gold</th><th>predicted</th><th>confidence</th><th>explanation or error</th></tr></thead>';

/**
 * One item row: id and kind, the text (highlighted), gold and predicted labels, confidence, the
 * explanation (fields when JSON) or error, and the LLM calls. Every value is escaped.
 */
export function renderItemRow(row: ReportRow): string {
  const confidence = format(row.confidence);
  return `<tr class="item kind-${row.kind}" data-score="${escapeHtml(row.score)}" data-kind="${row.kind}" data-item="${escapeHtml(row.item)}"><td class="id">${escapeHtml(row.item)}<div class="kind">${row.kind}</div></td><td class="item-text">${renderItemText(row)}</td><td>${label(row.gold)}</td><td>${label(row.predicted)}</td><td class="number">${confidence}</td><td class="explanation">${renderExplanation(row.detail)}${renderCalls(row.calls)}</td></tr>`;
}

/** A table of item rows (empty string when there are none). */
export function renderItemTable(rows: readonly ReportRow[]): string {
  if (rows.length === 0) return '';
  return `<table class="items">${itemTableHead}<tbody>${rows.map(renderItemRow).join('')}</tbody></table>`;
}
