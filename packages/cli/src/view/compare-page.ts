import {
  differenceText,
  pValueText,
  type ResultLine,
  type RunComparison,
  type ScoreComparison,
  shareText,
} from '@plexus/core';
import { type Flip, listedFlips, type ScoreFlips } from './flips.js';
import { escapeHtml, itemPath, page, segment } from './html.js';
import type { ItemText } from './item-texts.js';

/** What the compare page shows. */
export interface CompareView {
  runA: string;
  runB: string;
  comparison: RunComparison | null;
  /** Why the runs cannot be compared (bad input from `compareRuns`). */
  problem: string | null;
  flips: ScoreFlips[];
  /** Reads a flipped item's line of run A or B. */
  line: (run: 'a' | 'b', number: number) => ResultLine;
  /** A flipped item's text (run A's). */
  textOf: (id: string) => ItemText | undefined;
}

/** A signed difference; one that is not 0 but rounds to it keeps its first significant digit. */
export function signed(value: number | null, digits = 3): string {
  if (value === null) return '—';
  return `${value >= 0 ? '+' : ''}${differenceText(value, digits)}`;
}

/**
 * A p-value in two significant digits, in exponent form below 0.001; "—" when absent. Never
 * rounded onto or across `alpha` (0.0498 is 0.0498, not a significant "0.050").
 */
export function pValue(p: number | null, alpha: number): string {
  if (p === null) return '—';
  const exponent = p.toExponential(1);
  if (p < 0.001 && Number(exponent) < alpha === p < alpha) return exponent;
  return pValueText(p, alpha);
}

function deltaClass(score: ScoreComparison): string {
  if (!score.significant || score.accuracy_delta === null) return '';
  return score.accuracy_delta > 0 ? 'better' : 'worse';
}

/** The accuracy difference with its interval, or "—" (the reason is in the verdict row). */
function deltaCell(score: ScoreComparison): string {
  const interval = score.accuracy_delta_ci95;
  const shown = interval
    ? ` <span class="note">[${signed(interval[0])}, ${signed(interval[1])}]</span>`
    : '';
  return `<td class="number ${deltaClass(score)}">${signed(score.accuracy_delta)}${shown}</td>`;
}

/**
 * Two compared scores' names as HTML, each isolated (<bdi>): a right-to-left override in A's
 * reversed " vs B" after it. One name when they are the same.
 */
function pairName(scoreA: string, scoreB: string): string {
  const a = `<bdi>${escapeHtml(scoreA)}</bdi>`;
  return scoreA === scoreB ? a : `${a} vs <bdi>${escapeHtml(scoreB)}</bdi>`;
}

function scoreRow(score: ScoreComparison, alpha: number): string {
  const name = pairName(score.score_a, score.score_b);
  const borderline = score.tests_agree === false ? ' borderline' : '';
  const onlyA = score.due_only_a ?? 0;
  const onlyB = score.due_only_b ?? 0;
  // The items of one run only are not compared: counted, as the CLI does.
  const leftOut =
    onlyA + onlyB > 0
      ? ` (left out, due in one run only: ${onlyA} of run A, ${onlyB} of run B)`
      : '';
  return `<tr><td>${name}</td><td class="number">${score.n}</td><td class="number">${escapeHtml(shareText(score.accuracy_a))}</td><td class="number">${escapeHtml(shareText(score.accuracy_b))}</td>${deltaCell(score)}<td class="number">${escapeHtml(shareText(score.f1_macro_a))}</td><td class="number">${escapeHtml(shareText(score.f1_macro_b))}</td><td class="number">${signed(score.f1_macro_delta)}</td><td class="number">${score.only_a_correct}</td><td class="number">${score.only_b_correct}</td><td class="number mcnemar">${pValue(score.mcnemar_p, alpha)}</td><td class="number">${score.errors_a} / ${score.errors_b}</td></tr><tr><td></td><td colspan="11" class="note verdict${borderline}">${escapeHtml(score.verdict + leftOut)}</td></tr>`;
}

/** An answer, linked to its own run's item page (the id's link is run A's). */
function answerLink(run: string, itemId: string, text: string): string {
  return `<a href="${escapeHtml(itemPath(run, itemId))}">${escapeHtml(text)}</a>`;
}

function flipRow(view: CompareView, flip: Flip): string {
  const a = view.line('a', flip.lineA);
  const b = view.line('b', flip.lineB);
  const text = view.textOf(flip.itemId);
  const answer = (line: ResultLine) =>
    line.status === 'error' ? `error: ${line.error?.message ?? ''}` : (line.value ?? '—');
  // Each run is judged against its own gold: where they differ, both are shown (the same answer
  // read as right in one run and wrong in the other).
  const gold =
    a.label === b.label ? (a.label ?? '—') : `A: ${a.label ?? '—'}, B: ${b.label ?? '—'}`;
  return `<tr><td><a href="${escapeHtml(itemPath(view.runA, flip.itemId))}">${escapeHtml(flip.itemId)}</a></td><td>${escapeHtml(gold)}</td><td>${answerLink(view.runA, flip.itemId, answer(a))}</td><td>${answerLink(view.runB, flip.itemId, answer(b))}</td><td class="text">${text ? `${escapeHtml(text.snippet)}${text.length > text.snippet.length ? '…' : ''}` : '<span class="note">—</span>'}</td></tr>`;
}

function flipTable(view: CompareView, title: string, list: Flip[], count: number): string {
  const shown =
    count > list.length ? ` <span class="note">(the first ${listedFlips} of ${count})</span>` : '';
  if (count === 0) return `<h3>${escapeHtml(title)}: none</h3>`;
  return `<h3>${escapeHtml(title)}: ${count}${shown}</h3><table class="flips"><thead><tr><th>item</th><th>gold</th><th>A answered</th><th>B answered</th><th>text</th></tr></thead><tbody>${list.map((flip) => flipRow(view, flip)).join('')}</tbody></table>`;
}

function flipsSection(view: CompareView, flips: ScoreFlips): string {
  return `<div class="panel flipped"><h2>Flipped items: ${pairName(flips.scoreA, flips.scoreB)}</h2>${flipTable(view, 'Right in A only', flips.onlyA, flips.onlyACount)}${flipTable(view, 'Right in B only', flips.onlyB, flips.onlyBCount)}</div>`;
}

/** Two runs compared: per-score deltas with McNemar's p, and the items that flipped. */
export function comparePage(view: CompareView): string {
  const runLink = (label: string, name: string, status: string | null | undefined) =>
    `<span>${label}: <a href="/run/${segment(name)}">${escapeHtml(name)}</a>${status && status !== 'completed' ? ` (${escapeHtml(status)})` : ''}</span>`;
  const comparison = view.comparison;
  const head = `<h1>Compare runs</h1><div class="meta">${runLink('A', view.runA, comparison?.status_a)}${runLink('B', view.runB, comparison?.status_b)}</div>`;
  if (!comparison)
    return page(
      'compare',
      `${head}<p class="problem">${escapeHtml(view.problem ?? '')}</p><p class="note">Pair scores of different names by adding <code>&amp;pair=SCORE_A=SCORE_B</code> to the address (repeatable).</p>`,
    );
  const errors =
    comparison.errors === 'wrong'
      ? 'An item a run failed on counts as wrong.'
      : 'Items either run failed on are left out.';
  const gold = comparison.gold_differences
    .map(
      (difference) =>
        `<p class="problem">Gold labels differ on ${difference.items} compared items of ${pairName(difference.score_a, difference.score_b)}.</p>`,
    )
    .join('');
  const table = `<table id="comparison"><thead><tr><th>score</th><th class="number">items</th><th class="number">accuracy A</th><th class="number">accuracy B</th><th class="number">B − A [95% CI]</th><th class="number">F1 A</th><th class="number">F1 B</th><th class="number">F1 B − A</th><th class="number">right only in A</th><th class="number">right only in B</th><th class="number">McNemar p</th><th class="number">errors A / B</th></tr></thead><tbody>${comparison.scores.map((score) => scoreRow(score, comparison.alpha)).join('')}</tbody></table>
<p class="note">Items with a gold label both runs were due to answer. ${errors} Significance level ${comparison.alpha}; the verdict follows McNemar's exact test and says when the bootstrap interval disagrees. — : no item to compare (the verdict says why).</p>`;
  const { a, b } = comparison.not_compared ?? { a: [], b: [] };
  const notCompared =
    a.length > 0 || b.length > 0
      ? `<p class="note" id="not-compared">Not compared (in no pair; add <code>&amp;pair=SCORE_A=SCORE_B</code>): ${escapeHtml(
          [
            ...(a.length > 0 ? [`run A: ${a.join(', ')}`] : []),
            ...(b.length > 0 ? [`run B: ${b.join(', ')}`] : []),
          ].join('; '),
        )}</p>`
      : '';
  return page(
    `compare ${view.runA} ${view.runB}`,
    `${head}${gold}${table}${notCompared}${view.flips.map((flips) => flipsSection(view, flips)).join('')}`,
  );
}
