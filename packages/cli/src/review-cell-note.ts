import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelNormalizer } from '@plexus/core';

/** The labels of a score's confusion matrix in the run's metrics.json; undefined when unread. */
async function matrixLabels(run: string, score: string): Promise<string[] | undefined> {
  try {
    const metrics = JSON.parse(await readFile(join(run, 'metrics.json'), 'utf8'));
    const labels = metrics?.scores?.[score]?.confusion_matrix?.labels;
    return Array.isArray(labels) ? labels.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why `review queue --by cell` found no item: a label of the cell the score never has in the run
 * (a typo: `yes,nope`), or an empty cell of its labels. Labels are compared as the metrics name
 * them (`normalize`: the score's `normalize_labels`); the run's labels from its metrics.json.
 */
export async function emptyCellNote(
  run: string,
  score: string,
  cell: { gold: string; predicted: string },
  normalize: LabelNormalizer,
): Promise<string> {
  const what = `no item of ${score} has gold "${cell.gold}" and answer "${cell.predicted}"`;
  const labels = await matrixLabels(run, score);
  if (!labels) return `${what} in this run`;
  const unknown = [cell.gold, cell.predicted].filter(
    (label, index, both) => both.indexOf(label) === index && !labels.includes(normalize(label)),
  );
  if (unknown.length === 0) return `${what} in this run: the confusion cell is empty`;
  const named = unknown.map((label) => `"${label}"`).join(' and ');
  return `${what}: ${named} ${unknown.length === 1 ? 'is' : 'are'} none of its labels in this run: ${labels.join(', ')}`;
}
