import type { RunSummary } from '@plexus/core';

function cell(value: number | null, digits = 3): string {
  return value === null ? '—' : value.toFixed(digits);
}

/** The per-score summary of a run as a plain-text table that fits 80 columns. */
export function formatSummaryTable(summary: RunSummary): string {
  const header = ['score', 'n', 'ok', 'errors', 'skipped', 'accuracy', 'cost $'];
  const rows = Object.entries(summary.scores).map(([name, score]) => [
    name.length > 28 ? `${name.slice(0, 27)}…` : name,
    String(score.results),
    String(score.ok),
    String(score.errors),
    String(score.skipped),
    cell(score.accuracy),
    score.cost_usd.toFixed(4),
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
  ].join('\n');
}
