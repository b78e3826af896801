import { dollars, type RecordedCost, shownCost, unknownCostReason } from '../metrics/cost-shown.js';
import type { ScoreMetrics } from '../metrics/score-metrics.js';
import { chanceCorrected } from './agreement-section.js';
import { escapeHtml, interval, shareText } from './html.js';

/** A score's cost for a table cell: dollars, or "unknown" with the reason on hover and below. */
export function costCell(
  metrics: Pick<ScoreMetrics, 'cost_usd' | 'unpriced_models' | 'llm_calls'>,
): string {
  const shown = shownCost(recordedCost(metrics));
  if (shown.kind === 'usd') return `<td class="number">${escapeHtml(dollars(shown.usd))}</td>`;
  const models = metrics.unpriced_models ?? [];
  const reason =
    (shown.kind === 'unknown' && unknownCostReason(models, 'add pricing: to the score')) ||
    (shown.reason ?? 'not recorded by this run');
  const figure = shown.kind === 'at_least' ? `at least ${dollars(shown.usd)}` : 'unknown';
  return `<td class="number unknown" title="${escapeHtml(reason)}">${escapeHtml(figure)}<div class="reason">${escapeHtml(reason)}</div></td>`;
}

/** A score's recorded cost, for `shownCost`. */
export function recordedCost(
  metrics: Pick<ScoreMetrics, 'cost_usd' | 'unpriced_models' | 'llm_calls'>,
): RecordedCost {
  return {
    usd: metrics.cost_usd,
    unpricedModels: metrics.unpriced_models,
    llmCalls: metrics.llm_calls,
  };
}

function count(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}

/** One summary row: the score's name links to its section (`#score-<index>`). */
export function summaryRow(name: string, metrics: ScoreMetrics, index: number): string {
  const accuracy =
    metrics.accuracy === null
      ? '<td class="number muted">—</td>'
      : `<td class="number">${escapeHtml(shareText(metrics.accuracy))}<div class="ci">${escapeHtml(interval(metrics.accuracy_ci95))}</div></td>`;
  return `<tr><td class="name"><a href="#score-${index}">${escapeHtml(name)}</a></td><td class="number">${count(metrics.n_results)}</td><td class="number">${count(metrics.n)}</td>${accuracy}<td class="number">${escapeHtml(shareText(metrics.f1?.macro))}</td><td class="number">${escapeHtml(chanceCorrected(metrics.gwet_ac1, metrics.n))}</td><td class="number">${count(metrics.n_errors)}</td><td class="number">${count(metrics.n_skipped)}</td><td class="number">${count(metrics.n_unlabeled)}</td><td class="number">${escapeHtml(shareText(metrics.coverage))}</td>${costCell(metrics)}</tr>`;
}

/**
 * The table at the top of a report: one row per score with its results, items in the metrics,
 * accuracy with its 95% interval, macro F1, AC1, errors, skips, unlabeled items, coverage and cost.
 */
export function summaryTable(scores: Record<string, ScoreMetrics>): string {
  const rows = Object.entries(scores)
    .map(([name, metrics], index) => summaryRow(name, metrics, index))
    .join('');
  return `<table class="summary"><thead><tr><th>score</th><th title="results of the score, any status">results</th><th title="items with an answer and a gold label">in metrics</th><th>accuracy <small>95% CI</small></th><th>F1 macro</th><th>AC1</th><th>errors</th><th>skipped</th><th title="answered without a gold label">unlabeled</th><th title="answered / (answered + errors)">coverage</th><th>cost</th></tr></thead><tbody>${rows}</tbody></table>`;
}
