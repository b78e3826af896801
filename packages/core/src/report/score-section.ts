import { costText } from '../metrics/cost-shown.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { chanceCorrected } from './agreement-section.js';
import { escapeHtml, format, interval, percentText, shareText } from './html.js';
import { reliabilitySection } from './reliability-section.js';
import { recordedCost } from './summary-section.js';

/** Above this many labels the heatmap drops the numbers (hover shows them) and lists top confusions. */
const compactLabels = 20;

/**
 * The note under a figure: its 95% interval, or why it has none (a run written before reasons
 * were recorded has none: nothing is said).
 */
function intervalNote(value: [number, number] | null, reason?: string | null): string {
  if (value) return `95% CI ${interval(value)}`;
  return reason ? `no 95% CI: ${reason}` : '';
}

/**
 * A mean latency in ms to one decimal; one above 0 that rounds to 0.0 is `<0.1` (a rule's 0.04 ms
 * read "0.0", as for no time at all).
 */
export function latencyText(value: number | null | undefined): string {
  const text = format(value, 1);
  return typeof value === 'number' && value > 0 && text === '0.0' ? '<0.1' : text;
}

function headline(metrics: ScoreMetrics): string {
  const cards: [string, string, string?][] = [
    ['items in metrics', String(metrics.n)],
    ['accuracy', shareText(metrics.accuracy), intervalNote(metrics.accuracy_ci95)],
    [
      'F1 macro',
      shareText(metrics.f1?.macro),
      intervalNote(metrics.f1_macro_ci95, metrics.f1 ? metrics.f1_macro_ci95_reason : null),
    ],
    ["Cohen's kappa", chanceCorrected(metrics.cohen_kappa, metrics.n)],
    ["Gwet's AC1", chanceCorrected(metrics.gwet_ac1, metrics.n)],
    ['errors', String(metrics.n_errors)],
    // Absent from runs written before these fields existed: shown as a dash, not a guess.
    ['coverage', shareText(metrics.coverage)],
    ['accuracy counting errors', shareText(metrics.accuracy_counting_errors)],
    ['skipped', String(metrics.n_skipped)],
    ['unlabeled', String(metrics.n_unlabeled)],
    ['cost', costText(recordedCost(metrics))],
    [
      'mean latency (ms)',
      latencyText(metrics.latency_ms_mean),
      // Absent with the reason: no result of this run was timed.
      metrics.latency_ms_mean === null && metrics.n_results > 0
        ? 'none timed: answers from the cache, skipped and disabled results take no time here'
        : undefined,
    ],
  ];
  return `<div class="cards">${cards
    .map(
      ([name, value, note]) =>
        `<div class="card"><div class="name">${escapeHtml(name)}</div><div class="value">${escapeHtml(value)}</div>${note ? `<div class="note">${escapeHtml(note)}</div>` : ''}</div>`,
    )
    .join('')}</div>`;
}

function heatmap(metrics: ScoreMetrics): string {
  const { labels, matrix } = metrics.confusion_matrix;
  const compact = labels.length > compactLabels;
  // Many labels: columns are numbered (the full name on hover), rows say number and name.
  const head = labels
    .map(
      (label, index) =>
        `<th class="column" title="${escapeHtml(compact ? `${index + 1}. ${label}` : label)}"><span>${compact ? index + 1 : escapeHtml(label)}</span></th>`,
    )
    .join('');
  const rows = matrix
    .map((row, rowIndex) => {
      const total = row.reduce((sum, value) => sum + value, 0);
      const cells = row
        .map((count, column) => {
          const share = total > 0 ? count / total : 0;
          const color = rowIndex === column ? '22, 163, 74' : '220, 38, 38';
          const title = `${labels[rowIndex]} → ${labels[column]}: ${count} (${percentText(count, total)} of gold ${labels[rowIndex]})`;
          return `<td class="cell" style="background: rgba(${color}, ${(0.08 + share * 0.85).toFixed(3)})" title="${escapeHtml(title)}">${compact || count === 0 ? '' : count}</td>`;
        })
        .join('');
      const name = compact ? `${rowIndex + 1}. ${labels[rowIndex]}` : labels[rowIndex];
      return `<tr><th class="row" title="${escapeHtml(name)}">${escapeHtml(name)}</th>${cells}</tr>`;
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
      return `<tr><td>${escapeHtml(label)}</td><td class="number">${gold}</td><td class="number">${predicted}</td><td class="number">${escapeHtml(shareText(metrics.precision?.per_class[label]))}</td><td class="number">${escapeHtml(shareText(metrics.recall?.per_class[label]))}</td><td class="number">${escapeHtml(shareText(metrics.f1?.per_class[label]))}</td><td class="bars"><div class="bar gold" style="width:${((gold / largest) * 100).toFixed(1)}%"></div><div class="bar predicted" style="width:${((predicted / largest) * 100).toFixed(1)}%"></div></td></tr>`;
    })
    .join('');
  return `<table class="classes"><thead><tr><th>label</th><th>gold</th><th>predicted</th><th>precision</th><th>recall</th><th>F1</th><th>distribution <span class="legend gold">gold</span> <span class="legend predicted">predicted</span></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The labels given to items without gold, with counts and shares (a score without gold labels). */
export function predictedDistribution(metrics: ScoreMetrics): string {
  const counts = Object.entries(metrics.unlabeled_predicted ?? {});
  if (counts.length === 0) return '';
  const total = counts.reduce((sum, [, count]) => sum + count, 0);
  const largest = Math.max(1, ...counts.map(([, count]) => count));
  const rows = counts
    .map(
      ([label, count]) =>
        `<tr><td>${escapeHtml(label)}</td><td class="number">${count}</td><td class="number">${percentText(count, total)}</td><td class="bars"><div class="bar predicted" style="width:${((count / largest) * 100).toFixed(1)}%"></div></td></tr>`,
    )
    .join('');
  return `<h3>Predicted labels <small>${total} items without a gold label</small></h3><table class="classes distribution"><thead><tr><th>label</th><th>items</th><th>share</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The metrics part of a score's section: confusions first when there are many labels. */
/** A score that answered items of its own training data: says so above its figures. */
function inTrainingNote(metrics: ScoreMetrics): string {
  if (!metrics.n_in_training) return '';
  const others =
    metrics.accuracy_not_in_training === null || metrics.accuracy_not_in_training === undefined
      ? 'No labelled item is outside it: evaluate on data the model was not trained on.'
      : `Accuracy over the ${metrics.n_not_in_training} labelled items outside it: ${shareText(metrics.accuracy_not_in_training)}.`;
  return `<p class="warning">${metrics.n_in_training} of its answers are on items of its model's training data (the same text), where it remembers rather than predicts. ${escapeHtml(others)}</p>`;
}

function metricsBody(metrics: ScoreMetrics): string {
  if (metrics.n === 0)
    return `<p>No item has both an answer and a gold label: no accuracy.</p>${predictedDistribution(metrics)}`;
  const many = metrics.confusion_matrix.labels.length > compactLabels;
  const matrix = `<h3>Confusion matrix <small>rows gold, columns predicted; colour: share of the gold row${many ? '; columns numbered as the rows, names on hover' : ''}</small></h3>${heatmap(metrics)}`;
  return `${many ? `<h3>Top confusions</h3>${topConfusions(metrics)}` : ''}${matrix}<h3>Per class</h3>${perClass(metrics)}${reliabilitySection(metrics)}${predictedDistribution(metrics)}`;
}

/**
 * One score's section: headline metrics, top confusions (many labels), confusion heatmap,
 * per-class table, the predicted labels of items without gold, and `items` (see `scoreItems`).
 */
export function scoreSection(
  name: string,
  metrics: ScoreMetrics,
  index: number,
  items = '',
): string {
  return `<section class="score" id="score-${index}"><h2>${escapeHtml(name)}</h2>${headline(metrics)}${inTrainingNote(metrics)}${metricsBody(metrics)}${items}</section>`;
}
