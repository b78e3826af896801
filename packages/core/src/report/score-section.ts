import { formatUsd } from '../metrics/cost-tally.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { escapeHtml, format, interval } from './html.js';

/** Above this many labels the heatmap drops the numbers (hover shows them) and lists top confusions. */
const compactLabels = 20;

function headline(metrics: ScoreMetrics): string {
  const cards: [string, string, string?][] = [
    ['items in metrics', String(metrics.n)],
    ['accuracy', format(metrics.accuracy), interval(metrics.accuracy_ci95)],
    ['F1 macro', format(metrics.f1?.macro), interval(metrics.f1_macro_ci95)],
    ["Cohen's kappa", format(metrics.cohen_kappa)],
    ["Gwet's AC1", format(metrics.gwet_ac1)],
    ['errors', String(metrics.n_errors)],
    // Absent from runs written before these fields existed: shown as a dash, not a guess.
    ['coverage', format(metrics.coverage)],
    ['accuracy counting errors', format(metrics.accuracy_counting_errors)],
    ['skipped', String(metrics.n_skipped)],
    ['unlabeled', String(metrics.n_unlabeled)],
    ['cost (USD)', formatUsd(metrics.cost_usd, metrics.unpriced_models)],
    ['mean latency (ms)', format(metrics.latency_ms_mean, 1)],
  ];
  return `<div class="cards">${cards
    .map(
      ([name, value, note]) =>
        `<div class="card"><div class="name">${escapeHtml(name)}</div><div class="value">${escapeHtml(value)}</div>${note ? `<div class="note">95% CI ${escapeHtml(note)}</div>` : ''}</div>`,
    )
    .join('')}</div>`;
}

function heatmap(metrics: ScoreMetrics): string {
  const { labels, matrix } = metrics.confusion_matrix;
  const compact = labels.length > compactLabels;
  const head = labels
    .map(
      (label) =>
        `<th class="column" title="${escapeHtml(label)}"><span>${escapeHtml(label)}</span></th>`,
    )
    .join('');
  const rows = matrix
    .map((row, rowIndex) => {
      const total = row.reduce((sum, value) => sum + value, 0);
      const cells = row
        .map((count, column) => {
          const share = total > 0 ? count / total : 0;
          const color = rowIndex === column ? '22, 163, 74' : '220, 38, 38';
          const title = `${labels[rowIndex]} → ${labels[column]}: ${count} (${(share * 100).toFixed(1)}% of gold ${labels[rowIndex]})`;
          return `<td class="cell" style="background: rgba(${color}, ${(0.08 + share * 0.85).toFixed(3)})" title="${escapeHtml(title)}">${compact || count === 0 ? '' : count}</td>`;
        })
        .join('');
      return `<tr><th class="row" title="${escapeHtml(labels[rowIndex])}">${escapeHtml(labels[rowIndex])}</th>${cells}</tr>`;
    })
    .join('');
  return `<div class="heatmap-wrap"><table class="heatmap${compact ? ' compact' : ''}"><thead><tr><th class="corner">gold ↓ predicted →</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function topConfusions(metrics: ScoreMetrics, limit = 15): string {
  const { labels, matrix } = metrics.confusion_matrix;
  const pairs = matrix
    .flatMap((row, gold) => row.map((count, predicted) => ({ gold, predicted, count })))
    .filter((pair) => pair.gold !== pair.predicted && pair.count > 0)
    .sort((left, right) => right.count - left.count)
    .slice(0, limit);
  if (pairs.length === 0) return '<p>No confusions.</p>';
  return `<ol class="confusions">${pairs
    .map(
      (pair) =>
        `<li><b>${escapeHtml(labels[pair.gold])}</b> taken for <b>${escapeHtml(labels[pair.predicted])}</b>: ${pair.count}</li>`,
    )
    .join('')}</ol>`;
}

function perClass(metrics: ScoreMetrics): string {
  const { labels, matrix } = metrics.confusion_matrix;
  const predictedCounts = labels.map((_, column) =>
    matrix.reduce((sum, row) => sum + row[column]!, 0),
  );
  const largest = Math.max(
    1,
    ...labels.map((label, index) => Math.max(metrics.support[label] ?? 0, predictedCounts[index]!)),
  );
  const rows = labels
    .map((label, index) => {
      const gold = metrics.support[label] ?? 0;
      const predicted = predictedCounts[index]!;
      return `<tr><td>${escapeHtml(label)}</td><td class="number">${gold}</td><td class="number">${predicted}</td><td class="number">${format(metrics.precision?.per_class[label])}</td><td class="number">${format(metrics.recall?.per_class[label])}</td><td class="number">${format(metrics.f1?.per_class[label])}</td><td class="bars"><div class="bar gold" style="width:${((gold / largest) * 100).toFixed(1)}%"></div><div class="bar predicted" style="width:${((predicted / largest) * 100).toFixed(1)}%"></div></td></tr>`;
    })
    .join('');
  return `<table class="classes"><thead><tr><th>label</th><th>gold</th><th>predicted</th><th>precision</th><th>recall</th><th>F1</th><th>distribution <span class="legend gold">gold</span> <span class="legend predicted">predicted</span></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** One score's section: headline metrics, confusion heatmap, per-class table and distributions. */
export function scoreSection(name: string, metrics: ScoreMetrics, index: number): string {
  const body =
    metrics.n === 0
      ? '<p>No item has both an answer and a gold label: no metrics.</p>'
      : `<h3>Confusion matrix <small>rows gold, columns predicted; colour: share of the gold row</small></h3>${heatmap(metrics)}${
          metrics.confusion_matrix.labels.length > compactLabels
            ? `<h3>Top confusions</h3>${topConfusions(metrics)}`
            : ''
        }<h3>Per class</h3>${perClass(metrics)}`;
  return `<section class="score" id="score-${index}"><h2>${escapeHtml(name)}</h2>${headline(metrics)}${body}</section>`;
}
