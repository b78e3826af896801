import { costText } from '../metrics/cost-shown.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import type { RunInfo, RunMetricsFile } from '../run/run-folder.js';
import { agreementSection } from './agreement-section.js';
import { escapeHtml, format, shareText } from './html.js';
import type { ReportData } from './report-data.js';
import { reportStyle } from './report-style.js';
import { rowsLimitNote, scoreItems } from './score-items.js';
import { scoreSection } from './score-section.js';
import { summaryTable } from './summary-section.js';

/**
 * Nothing but this page's own inline styles and script: no request leaves the page (no images,
 * fonts, frames or connections from elsewhere).
 */
export const reportContentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

// Filters the server-rendered item rows; it reads text and sets classes only (no markup).
const script = `
(function () {
  var search = document.getElementById('filter-text');
  var kind = document.getElementById('filter-kind');
  var count = document.getElementById('items-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.item'));
  function render() {
    // NFC: a text written with a combining accent is found by the accent typed as one character.
    var needle = search.value.normalize('NFC').toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var keep = (!kind.value || row.getAttribute('data-kind') === kind.value) &&
        (!needle || row.textContent.normalize('NFC').toLowerCase().indexOf(needle) !== -1);
      row.classList.toggle('hidden', !keep);
      if (keep) shown += 1;
    });
    count.textContent =
      shown + ' of ' + rows.length + ' rows shown (an item has a row in each score that lists it)';
  }
  [search, kind].forEach(function (element) { element.addEventListener('input', render); });
  render();
})();
`;

/**
 * A run's duration as shown beside its start: `duration_s` is its last session's (a resume's),
 * so when the run's start and end lie further apart (by more than a second) that is said, with the
 * time from start to end: a resumed run read "duration: 0.0 s" as if it had taken that long.
 */
export function durationText(
  info: Pick<RunInfo, 'started_at' | 'ended_at'>,
  durationS: number | null | undefined,
): string {
  const shown = `${format(durationS, 1)} s`;
  const span = (Date.parse(info.ended_at ?? '') - Date.parse(info.started_at)) / 1000;
  if (typeof durationS !== 'number' || !Number.isFinite(span) || span - durationS <= 1)
    return shown;
  return `${shown} (the last resume; ${span.toFixed(1)} s from the start of the run to its end)`;
}

/** The run's line under the title: status, items, start, duration, cost, skipped rows. */
export function runMeta(info: RunInfo, metrics: RunMetricsFile): string {
  const cost = metrics.cost;
  return `<div class="meta"><span>status: <b>${escapeHtml(info.status)}</b></span><span>items: ${metrics.items}</span><span>started: ${escapeHtml(info.started_at)}</span><span>duration: ${escapeHtml(durationText(info, metrics.duration_s))}</span><span>cost: ${escapeHtml(costText({ usd: cost.usd, unpricedModels: cost.unpriced_models, llmCalls: cost.llm_calls }))} (${cost.llm_calls.toLocaleString('en')} LLM call${cost.llm_calls === 1 ? '' : 's'}, ${tokensText(cost)})</span><span>${rowsNotReadText(info)}</span>${cachedText(info)}</div>`;
}

/**
 * The dataset rows the run could not read (malformed), said apart from the results a condition
 * skipped ("rows skipped: 0" stood beside a summary of 128 skipped results).
 */
export function rowsNotReadText(info: RunInfo): string {
  if (info.counts_unknown) return 'dataset rows not read: unknown';
  const rows = info.counts.malformed_rows;
  return `dataset rows not read: ${rows}${rows > 0 ? ' (why: dataset-errors.jsonl)' : ''}`;
}

/** How many results came from the cache (their cost and time are not this run's); absent when unknown. */
function cachedText(info: RunInfo): string {
  if (info.counts_unknown || typeof info.counts.cache_hits !== 'number') return '';
  return `<span>from the cache: ${info.counts.cache_hits.toLocaleString('en')} of ${info.counts.results.toLocaleString('en')} results</span>`;
}

/**
 * A score's figure in the navigation: its accuracy, else why it has none: its unlabeled answers,
 * else its errors (a score that failed on every item read "0 unl."), else a dash.
 */
function navigationValue(metrics: ScoreMetrics): string {
  if (metrics.accuracy !== null) return shareText(metrics.accuracy, 2);
  if ((metrics.n_unlabeled ?? 0) > 0) return `${metrics.n_unlabeled} unl.`;
  if (metrics.n_errors > 0) return `${metrics.n_errors} err.`;
  return '—';
}

/** The navigation that stays in view: the summary, each score with its accuracy, the filters. */
export function navigation(scores: Record<string, ScoreMetrics>): string {
  const links = Object.entries(scores)
    .map(
      ([name, metrics], index) =>
        `<a href="#score-${index}" title="${escapeHtml(name)}"><span class="value">${escapeHtml(navigationValue(metrics))}</span>${escapeHtml(name)}</a>`,
    )
    .join('');
  return `<nav class="toc"><a href="#summary"><b>Summary</b></a><div class="group">Scores</div>${links}<div class="group">Filter items</div><input id="filter-text" type="search" placeholder="id, label, text, explanation"><select id="filter-kind"><option value="">every kind</option><option value="misclassified">misclassified</option><option value="error">errors</option><option value="correct">correct (sample)</option><option value="unlabeled">unlabeled (sample)</option></select><div id="items-count" class="note"></div></nav>`;
}

/** The whole report page: one self-contained file, no network, no external assets. */
export function reportPage(data: ReportData): string {
  const { info, metrics } = data;
  const sections = Object.entries(metrics.scores)
    .map(([name, score], index) =>
      scoreSection(
        name,
        score,
        index,
        agreementSection(data.agreement, name, info.ended_at) +
          scoreItems(data.scores.get(name), data.maxRowsPerScore),
      ),
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(metrics.scorecard)}: Plexus report</title><style>${reportStyle}</style></head>
<body><div class="layout">${navigation(metrics.scores)}<div class="content">
<header><h1>${escapeHtml(metrics.scorecard)}</h1>${runMeta(info, metrics)}</header>
<main><section id="summary"><h2>Summary</h2>${summaryTable(metrics.scores)}${rowsLimitNote(data.maxRowsPerScore)}</section>${sections}</main>
</div></div>
<script>${script}</script>
</body></html>
`;
}

/** `96 + 14 tokens`, or why they are unknown (a run whose endpoint reported no usage). */
function tokensText(cost: {
  input_tokens: number | null;
  output_tokens: number | null;
  tokens_unknown_results?: number;
}): string {
  if (cost.input_tokens === null || cost.output_tokens === null)
    return `tokens unknown: some calls of ${cost.tokens_unknown_results ?? 'some'} results did not report theirs`;
  return `${cost.input_tokens.toLocaleString('en')} input + ${cost.output_tokens.toLocaleString('en')} output tokens`;
}
