import { formatUsd } from '../metrics/cost-tally.js';
import { escapeHtml, format, scriptJson } from './html.js';
import type { ReportData } from './report-data.js';
import { scoreSection } from './score-section.js';

const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2937; background: #f8fafc; }
header, main { max-width: 1200px; margin: 0 auto; padding: 16px 24px; }
header { border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 0 0 12px; } h3 { font-size: 15px; margin: 20px 0 8px; }
h3 small { font-weight: normal; color: #6b7280; }
.meta { color: #4b5563; } .meta span { margin-right: 18px; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px 10px; min-width: 110px; }
.card .name { color: #6b7280; font-size: 12px; } .card .value { font-size: 18px; font-weight: 600; } .card .note { color: #6b7280; font-size: 11px; }
.heatmap-wrap { overflow-x: auto; }
table { border-collapse: collapse; }
.heatmap th, .heatmap td { border: 1px solid #f1f5f9; }
.heatmap .cell { min-width: 34px; height: 26px; text-align: center; font-variant-numeric: tabular-nums; }
.heatmap.compact .cell { min-width: 8px; width: 8px; height: 8px; padding: 0; }
.heatmap.compact th.column { padding: 0; width: 8px; max-width: 8px; }
.heatmap.compact th, .heatmap.compact td { border-width: 0 1px 1px 0; }
.heatmap .row { text-align: right; padding-right: 6px; font-weight: normal; white-space: nowrap; max-width: 240px; overflow: hidden; text-overflow: ellipsis; }
.heatmap .column { vertical-align: bottom; font-weight: normal; }
.heatmap .column span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; display: inline-block; max-height: 160px; overflow: hidden; }
.heatmap.compact .column span, .heatmap.compact .row { font-size: 8px; line-height: 8px; }
.heatmap .corner { font-size: 11px; color: #6b7280; font-weight: normal; }
.classes td, .classes th, .items td, .items th { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; }
.number { text-align: right !important; font-variant-numeric: tabular-nums; }
.bars { width: 240px; } .bar { height: 6px; margin: 2px 0; border-radius: 3px; }
.bar.gold, .legend.gold { background: #2563eb; } .bar.predicted, .legend.predicted { background: #f59e0b; }
.legend { color: #fff; padding: 0 4px; border-radius: 3px; font-size: 11px; font-weight: normal; }
.filters { display: flex; gap: 8px; margin-bottom: 8px; flex-wrap: wrap; }
.filters input { flex: 1; min-width: 200px; padding: 4px 8px; }
.items td.detail { max-width: 560px; white-space: pre-wrap; word-break: break-word; }
.items .kind-error { color: #b91c1c; }
`;

// Renders the item rows from the embedded JSON with textContent only: item text never becomes markup.
const script = `
(function () {
  var rows = JSON.parse(document.getElementById('report-rows').textContent);
  var body = document.querySelector('#items tbody');
  var search = document.getElementById('filter-text');
  var score = document.getElementById('filter-score');
  var kind = document.getElementById('filter-kind');
  var count = document.getElementById('items-count');
  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text === null ? '—' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
  }
  function render() {
    var needle = search.value.toLowerCase();
    var shown = 0;
    body.textContent = '';
    rows.forEach(function (item) {
      if (score.value && item.score !== score.value) return;
      if (kind.value && item.kind !== kind.value) return;
      var haystack = [item.item, item.score, item.gold, item.predicted, item.detail].join(' ').toLowerCase();
      if (needle && haystack.indexOf(needle) === -1) return;
      var row = document.createElement('tr');
      row.className = 'kind-' + item.kind;
      cell(row, item.item); cell(row, item.score); cell(row, item.kind);
      cell(row, item.gold); cell(row, item.predicted); cell(row, item.detail, 'detail');
      body.appendChild(row);
      shown += 1;
    });
    count.textContent = shown + ' of ' + rows.length + ' shown';
  }
  [search, score, kind].forEach(function (element) { element.addEventListener('input', render); });
  render();
})();
`;

/** The whole report page: one self-contained file, no network, no external assets. */
export function reportPage(data: ReportData): string {
  const { info, metrics, rows } = data;
  const scoreNames = Object.keys(metrics.scores);
  const sections = scoreNames
    .map((name, index) => scoreSection(name, metrics.scores[name]!, index))
    .join('');
  const options = scoreNames
    .map((name) => `<option value="${escapeHtml(name)}">${escapeHtml(name)}</option>`)
    .join('');
  const leftOut =
    data.rowsLeftOut > 0
      ? `<p>${data.rowsLeftOut} more rows are in results.jsonl; the report keeps the first ${rows.length}.</p>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(metrics.scorecard)}: Plexus report</title><style>${style}</style></head>
<body>
<header><h1>${escapeHtml(metrics.scorecard)}</h1>
<div class="meta"><span>status: <b>${escapeHtml(info.status)}</b></span><span>items: ${metrics.items}</span><span>started: ${escapeHtml(info.started_at)}</span><span>duration: ${format(metrics.duration_s, 1)} s</span><span>cost: ${metrics.cost.usd === null ? '' : '$'}${escapeHtml(formatUsd(metrics.cost.usd, metrics.cost.unpriced_models))} (${metrics.cost.llm_calls} LLM calls, ${metrics.cost.input_tokens} + ${metrics.cost.output_tokens} tokens)</span><span>rows skipped: ${info.counts.malformed_rows}</span></div>
</header>
<main>${sections}
<section id="items-section"><h2>Misclassified and failed items</h2>
<div class="filters"><input id="filter-text" type="search" placeholder="Filter by id, label or explanation">
<select id="filter-score"><option value="">all scores</option>${options}</select>
<select id="filter-kind"><option value="">misclassified and errors</option><option value="misclassified">misclassified</option><option value="error">errors</option></select>
<span id="items-count"></span></div>${leftOut}
<table class="items" id="items"><thead><tr><th>item</th><th>score</th><th>kind</th><th>gold</th><th>predicted</th><th>explanation or error</th></tr></thead><tbody></tbody></table>
</section></main>
<script type="application/json" id="report-rows">${scriptJson(rows)}</script>
<script>${script}</script>
</body></html>
`;
}
