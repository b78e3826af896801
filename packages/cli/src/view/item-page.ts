import {
  latencyText,
  type ResultLine,
  renderCalls,
  renderExplanation,
  tracedCalls,
  unknownCostReason,
} from '@plexus/core';
import { escapeHtml, formatNumber, page, segment } from './html.js';
import { shownTextChars } from './item-texts.js';
import { outcomeOf } from './result-index.js';

/** Characters of a trace shown; the rest is in results.jsonl. */
const shownTraceChars = 50_000;

/** What the item page shows. */
export interface ItemView {
  run: string;
  itemId: string;
  /** The item's text from the dataset; null with the reason in `textProblem`. */
  text: string | null;
  textLength: number | null;
  textProblem: string | null;
  lines: ResultLine[];
}

/** The explanation, as fields when it is a JSON object (the report's rendering). */
function explanationHtml(explanation: string | null): string {
  // Absent on a line an older version or a hand edit left: none, as null.
  if (typeof explanation !== 'string' || explanation === '')
    return '<span class="note">none</span>';
  return `<div class="explanation-block">${renderExplanation(explanation)}</div>`;
}

function traceHtml(trace: unknown, cached: boolean): string {
  if (trace === undefined) return '';
  const text = JSON.stringify(trace, null, 2) ?? '';
  const cut =
    text.length > shownTraceChars
      ? `<p class="note">The first ${shownTraceChars} of ${text.length} characters; the whole trace is in results.jsonl.</p>`
      : '';
  const calls = tracedCalls(trace);
  const asked =
    calls.length === 0
      ? ''
      : `<h3>LLM calls: what was asked and answered${cached ? ' <span class="note">(by an earlier run: this answer came from the cache)</span>' : ''}</h3>${renderCalls(calls)}`;
  return `${asked}<h3>Trace</h3><pre class="trace">${escapeHtml(text.slice(0, shownTraceChars))}</pre>${cut}`;
}

/**
 * The line's cost: unknown with the reason when it has no price; a dash when it has no number; a
 * cost that rounds to $0.000000 (one call of a cheap model) is `<$0.000001`, not nothing spent.
 */
function costOf(line: ResultLine): string {
  if (line.cost_usd === null)
    return `unknown (${escapeHtml(unknownCostReason(line.unpriced_model ? [line.unpriced_model] : []) ?? 'no price')})`;
  if (typeof line.cost_usd !== 'number') return '—';
  if (line.cost_usd > 0 && line.cost_usd < 0.0000005) return '&lt;$0.000001';
  return `$${formatNumber(line.cost_usd, 6)}`;
}

function scoreCard(line: ResultLine): string {
  const outcome = outcomeOf(line);
  // A cache hit costs and calls nothing in this run; the calls its trace shows were an earlier run's.
  const cached = line.cached ? ' in this run (the answer came from the cache)' : '';
  const fields: [string, string][] = [
    ['status', escapeHtml(line.status)],
    ['gold', escapeHtml(line.label ?? '—')],
    ['predicted', escapeHtml(line.value ?? '—')],
    ['answer', `<span class="${outcome}">${outcome}</span>`],
    ['confidence', formatNumber(line.confidence, 3)],
    ['cost', `${costOf(line)}${cached}`],
    [
      'LLM calls',
      line.tokens_unknown === true
        ? `${formatNumber(line.llm_calls, 0)} (tokens unknown: not every call reported them)`
        : `${formatNumber(line.llm_calls, 0)} (${formatNumber(line.input_tokens, 0)} + ${formatNumber(line.output_tokens, 0)} tokens)${cached}`,
    ],
    [
      'latency',
      `${escapeHtml(latencyText(line.latency_ms))} ms${line.cached ? ' (from the cache)' : ''}`,
    ],
  ];
  if (line.error) fields.push(['error', escapeHtml(line.error.message)]);
  const list = fields.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('');
  return `<div class="panel score-card"><h2>${escapeHtml(line.score)}</h2><dl class="fields">${list}</dl><h3>Explanation</h3>${explanationHtml(line.explanation)}${traceHtml(line.trace, line.cached === true)}</div>`;
}

/** One item: its text and every score's answer, explanation and trace. */
export function itemPage(view: ItemView): string {
  const back = `/run/${segment(view.run)}`;
  const cut =
    view.textLength !== null && view.text !== null && view.textLength > view.text.length
      ? `<p class="note">The first ${view.text.length} of ${view.textLength} characters${view.text.length < shownTextChars && view.textProblem ? ` (${escapeHtml(view.textProblem)})` : ''}.</p>`
      : '';
  const text =
    view.text === null
      ? `<p class="note">${escapeHtml(view.textProblem ?? 'The text of this item was not found in the dataset.')}</p>`
      : `<pre class="item-text" id="item-text">${escapeHtml(view.text)}</pre>${cut}`;
  const body = `<p><a href="${escapeHtml(back)}">← ${escapeHtml(view.run)}</a></p>
<h1>Item ${escapeHtml(view.itemId)}</h1><div class="panel"><h2>Text</h2>${text}</div>
${view.lines.map(scoreCard).join('')}`;
  return page(`item ${view.itemId}`, body);
}
