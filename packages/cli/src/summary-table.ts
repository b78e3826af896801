import {
  costText,
  lacksPrice,
  type RunSummary,
  type ScoreMetrics,
  shareText,
  terminalSafe,
  unknownCostReason,
} from '@plexus/core';

/** Columns the table fits in. */
const tableWidth = 80;
/** Narrowest name column worth wrapping names in; below it each name gets lines of its own. */
const minNameWidth = 12;
/** Labels a score without gold lists under the table, at most. */
const shownLabels = 8;

/** `1 score`, `2 scores`: a count with its noun. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Words of `text` in lines of `width` at most (a longer word is cut across lines). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      line = '';
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

function cells(score: ScoreMetrics): string[] {
  return [
    String(score.n),
    // Never 1.000 for a share below 1 (2,998 of 2,999: `>0.999`), nor 0.000 above 0.
    shareText(score.accuracy),
    shareText(score.f1?.macro),
    shareText(score.gwet_ac1),
    String(score.n_errors),
    String(score.n_skipped),
    score.n_unlabeled === undefined ? '—' : String(score.n_unlabeled),
    costCell(score),
  ];
}

/** The cost column (its header says `$`): `0.0123`, `<0.0001` for a cost that rounds to 0, `unknown`. */
function costCell(score: ScoreMetrics): string {
  if (score.cost_usd === null) return 'unknown';
  if (score.cost_usd === undefined) return '—';
  const text = costText({ usd: score.cost_usd, unpricedModels: [], llmCalls: 0 });
  return text.replace('$', '');
}

/**
 * The per-score summary of a run as a plain-text table that fits 80 columns: items in the
 * metrics, accuracy, macro F1, Gwet's AC1, errors, skips, unlabeled items and cost. Score names
 * are shown whole (escaped, see `terminalSafe`), wrapped in their column, or on lines of their own
 * when the numbers leave too little room. Below: the predicted labels of scores without gold.
 */
export function formatSummaryTable(summary: Pick<RunSummary, 'scores'>): string {
  const header = ['n', 'accuracy', 'F1 macro', 'AC1', 'errors', 'skipped', 'unlabeled', 'cost $'];
  const entries = Object.entries(summary.scores).map(([name, score]) => ({
    name: terminalSafe(name),
    cells: cells(score),
  }));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...entries.map((entry) => entry.cells[column]!.length)),
  );
  const numbers = widths.reduce((sum, width) => sum + width + 2, 0);
  const longest = Math.max('score'.length, ...entries.map((entry) => entry.name.length));
  const room = tableWidth - numbers;
  // Names that fit the room stay in their column, however narrow.
  const ownLines = room < Math.min(minNameWidth, longest);
  // Names on lines of their own: no name column, the numbers start the line.
  const nameWidth = ownLines ? 0 : Math.min(longest, room);
  const row = (name: string, values: string[]) =>
    [
      ...(ownLines ? [] : [name.padEnd(nameWidth)]),
      ...values.map((value, column) => value.padStart(widths[column]!)),
    ]
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width));
  const lines = ownLines
    ? ['score', row('', header), rule.join('  ')]
    : [row('score', header), ['─'.repeat(nameWidth), ...rule].join('  ')];
  for (const entry of entries) {
    if (ownLines) {
      lines.push(...wrap(entry.name, tableWidth), row('', entry.cells));
      continue;
    }
    const [first, ...rest] = wrap(entry.name, nameWidth);
    lines.push(row(first!, entry.cells), ...rest);
  }
  return [
    ...lines,
    ...agreementNote(summary.scores),
    ...skippedNote(summary.scores),
    ...predictedNote(summary.scores),
    ...unpricedNote(summary.scores),
  ].join('\n');
}

/** Under the table, for scores with answers whose AC1 is "—": why (one label only, say). */
function agreementNote(scores: Pick<RunSummary, 'scores'>['scores']): string[] {
  const lines: string[] = [];
  for (const [name, score] of Object.entries(scores)) {
    if (score.n === 0 || score.gwet_ac1 !== null || !score.kappa_ac1_reason) continue;
    lines.push(...wrap(`AC1 of ${terminalSafe(name)} —: ${score.kappa_ac1_reason}`, tableWidth));
  }
  return lines.length === 0 ? [] : ['', ...lines];
}

/** Under the table, for scores whose every result was skipped: why their figures are "—". */
function skippedNote(scores: Pick<RunSummary, 'scores'>['scores']): string[] {
  const lines: string[] = [];
  for (const [name, score] of Object.entries(scores)) {
    if (score.n_results === 0 || score.n_skipped !== score.n_results) continue;
    lines.push(
      ...wrap(
        `${terminalSafe(name)} —: no answer to measure: its ${plural(score.n_results, 'result was', 'results were')} skipped (a depends_on condition unmet, an upstream score failed, or the score disabled)`,
        tableWidth,
      ),
    );
  }
  return lines.length === 0 ? [] : ['', ...lines];
}

/** Under the table, for scores without gold labels: the labels they gave, most given first. */
function predictedNote(scores: Pick<RunSummary, 'scores'>['scores']): string[] {
  const lines: string[] = [];
  for (const [name, score] of Object.entries(scores)) {
    const counts = Object.entries(score.unlabeled_predicted ?? {});
    if (score.n > 0 || counts.length === 0) continue;
    const shown = counts
      .slice(0, shownLabels)
      .map(([label, count]) => `${terminalSafe(label)} ${count}`)
      .join(', ');
    const more =
      counts.length > shownLabels ? `, ${plural(counts.length - shownLabels, 'more label')}` : '';
    lines.push(
      ...wrap(
        `${terminalSafe(name)} (no gold labels, ${plural(score.n_unlabeled, 'item')}): ${shown}${more}`,
        tableWidth - 2,
      ).map((line) => `  ${line}`),
    );
  }
  return lines.length === 0 ? [] : ['', 'Predicted labels of scores without gold:', ...lines];
}

/** Under the table, when a cost is unknown: which models have no price, and how to give one. */
function unpricedNote(scores: Pick<RunSummary, 'scores'>['scores']): string[] {
  const models = new Set<string>();
  for (const score of Object.values(scores))
    if (score.cost_usd === null)
      for (const model of score.unpriced_models ?? []) models.add(terminalSafe(model));
  if (models.size === 0) return [];
  // Models without a price, and priced models of hedged calls (their tokens unknown).
  const reason = unknownCostReason([...models].sort()) ?? '';
  const note = ['', ...wrap(`cost unknown: ${reason}.`, tableWidth)];
  if (!lacksPrice([...models])) return note;
  return [
    ...note,
    'Add to the score: pricing: {input_per_million: N, output_per_million: N} (USD)',
  ];
}
