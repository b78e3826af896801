import { type RunSummary, terminalSafe } from '@plexus/core';

/** Longest score name shown whole: with million-item counts and dollar costs the rows stay within 80 columns. */
const maxName = 15;

function number(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** A score name escaped (see `terminalSafe`) before it is cut, so columns line up as printed. */
function shortName(name: string): string {
  const shown = terminalSafe(name);
  return shown.length > maxName ? `${shown.slice(0, maxName - 1)}…` : shown;
}

/**
 * The per-score summary of a run as a plain-text table that fits 80 columns: items in the
 * metrics, accuracy, macro F1, Gwet's AC1, errors, skips and cost.
 */
export function formatSummaryTable(summary: Pick<RunSummary, 'scores'>): string {
  const header = ['score', 'n', 'accuracy', 'F1 macro', 'AC1', 'errors', 'skipped', 'cost $'];
  const rows = Object.entries(summary.scores).map(([name, score]) => [
    shortName(name),
    String(score.n),
    number(score.accuracy),
    number(score.f1?.macro),
    number(score.gwet_ac1),
    String(score.n_errors),
    String(score.n_skipped),
    score.cost_usd === null ? 'unknown' : score.cost_usd.toFixed(4),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const format = (row: string[]) =>
    row
      .map((value, column) =>
        column === 0 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!),
      )
      .join('  ');
  return [
    format(header),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...rows.map(format),
    ...unpricedNote(summary.scores),
  ].join('\n');
}

/** Under the table, when a cost is unknown: which models have no price, and how to give one. */
function unpricedNote(scores: Pick<RunSummary, 'scores'>['scores']): string[] {
  const models = new Set<string>();
  for (const score of Object.values(scores))
    if (score.cost_usd === null)
      for (const model of score.unpriced_models ?? []) models.add(terminalSafe(model));
  if (models.size === 0) return [];
  return [
    '',
    `cost unknown: no price for ${[...models].sort().join(', ')}.`,
    'Add to the score: pricing: {input_per_million: N, output_per_million: N} (USD)',
  ];
}
