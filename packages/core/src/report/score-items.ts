import { escapeHtml } from './html.js';
import { renderItemTable } from './item-row.js';
import { defaultSampleRows, type ScoreRows } from './report-data.js';

/**
 * A score's items: its misclassified and failed items (at most `maxRowsPerScore`, said on the
 * page), a seeded sample of correct items on demand, and a sample of items without a gold label.
 */
export function scoreItems(rows: ScoreRows | undefined, maxRowsPerScore: number): string {
  if (!rows) return '';
  const listed = rows.problems.length;
  const total = listed + rows.problemsLeftOut;
  const limit =
    rows.problemsLeftOut > 0
      ? `<p class="note">This page lists at most ${maxRowsPerScore} misclassified and failed items per score: the first ${listed} of ${total}. All are in results.jsonl.</p>`
      : '';
  const problems =
    total === 0
      ? ''
      : `<h3>Misclassified and failed items <small>${total}</small></h3>${limit}${renderItemTable(rows.problems)}`;
  const correct =
    rows.correct.length === 0
      ? ''
      : `<details class="sample"><summary>Show a sample of correct items (${rows.correct.length} of ${rows.correctSeen}, seeded)</summary>${renderItemTable(rows.correct)}</details>`;
  // A score never judged against gold shows its sample open: it has nothing else to show.
  const withoutGold =
    rows.correctSeen === 0 && !rows.problems.some((row) => row.kind === 'misclassified');
  const unlabeled =
    rows.unlabeled.length === 0
      ? ''
      : `<details class="sample"${withoutGold ? ' open' : ''}><summary>Items without a gold label: a sample (${rows.unlabeled.length} of ${rows.unlabeledSeen}, seeded)</summary>${renderItemTable(rows.unlabeled)}</details>`;
  return `<div class="score-items">${problems}${correct}${unlabeled}</div>`;
}

/** A note for the top of the page: how many rows a score lists at most. */
export function rowsLimitNote(maxRowsPerScore: number): string {
  return `<p class="note">Each score lists at most ${escapeHtml(maxRowsPerScore)} misclassified and failed items and seeded samples of ${defaultSampleRows} correct and ${defaultSampleRows} unlabeled items; results.jsonl has every result.</p>`;
}
