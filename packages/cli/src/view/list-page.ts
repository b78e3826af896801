import { headlineText, startText } from '../commands/runs.js';
import { escapeHtml, page, segment } from './html.js';
import type { RunEntry, RunList } from './run-list.js';

function scoresCell(run: RunEntry): string {
  if (run.metrics === 'absent')
    return `<span class="note">${run.status === 'running' ? 'running: metrics on the run page' : 'no metrics.json'}</span>`;
  // The name isolated (<bdi>): a right-to-left override in it reversed the numbers after it.
  return run.scores
    .map(
      (score) =>
        `<bdi>${escapeHtml(score.name)}</bdi>${escapeHtml(headlineText(score).slice(score.name.length))}`,
    )
    .join('<br>');
}

function runRow(run: RunEntry): string {
  return `<tr><td><a href="/run/${segment(run.name)}">${escapeHtml(run.name)}</a></td><td>${escapeHtml(run.scorecard)}</td><td>${escapeHtml(startText(run.started_at))}</td><td class="status-${escapeHtml(run.status)}" title="${escapeHtml(run.error ?? '')}">${escapeHtml(run.status)}</td><td class="number">${run.items === null ? '—' : run.items}</td><td>${scoresCell(run)}</td></tr>`;
}

function compareForm(runs: readonly RunEntry[]): string {
  if (runs.length < 2) return '';
  const options = (selected: number) =>
    runs
      .map(
        (run, index) =>
          `<option value="${escapeHtml(run.name)}"${index === selected ? ' selected' : ''}>${escapeHtml(run.name)}</option>`,
      )
      .join('');
  return `<h2>Compare two runs</h2><form class="filters" method="get" action="/compare">
<label>A <select name="a">${options(1)}</select></label>
<label>B <select name="b">${options(0)}</select></label>
<button type="submit">Compare</button></form>`;
}

/** The run list: every run under the runs folder, newest first, and a form to compare two. */
export function listPage(list: RunList, rootShown: string): string {
  const rows = list.runs.map(runRow).join('');
  const problems = list.problems
    .map(
      (problem) =>
        `<p class="problem">Not read: ${escapeHtml(problem.name)}: ${escapeHtml(problem.message)}</p>`,
    )
    .join('');
  const table =
    list.runs.length === 0
      ? `<p>No runs in ${escapeHtml(rootShown)} yet: <code>plexus evaluate scorecard.yaml</code> writes one there.</p>`
      : `<table id="runs"><thead><tr><th>run</th><th>scorecard</th><th>started (UTC)</th><th>status</th><th class="number">items</th><th>scores</th></tr></thead><tbody>${rows}</tbody></table>`;
  const count = `${list.runs.length} run${list.runs.length === 1 ? '' : 's'}`;
  return page(
    'runs',
    `<h1>Runs</h1><p class="meta">${count} in ${escapeHtml(rootShown)}, newest first</p>${problems}${table}${compareForm(list.runs)}`,
  );
}
