import {
  chanceCorrected,
  durationText,
  isolatedText,
  type ResultLine,
  type RunInfo,
  type ScoreMetrics,
  scoreSection,
  shareText,
} from '@plexus/core';
import { startText } from '../commands/runs.js';
import { escapeHtml, formatNumber, itemPath, page, segment } from './html.js';
import {
  type FilteredItems,
  filterProblems,
  type ItemFilter,
  outcomes,
  pageSize,
  queryOf,
  scopeText,
  searchScopes,
  shownLabel,
} from './item-filter.js';
import { type ItemTexts, searchedTextChars } from './item-texts.js';
import { outcomeOf, type ResultIndex, searchedExplanationChars } from './result-index.js';
import { textOf } from './run-folders.js';
import { costText } from './run-scoring.js';

/** What the run page shows. */
export interface RunView {
  name: string;
  info: RunInfo;
  metrics: Record<string, ScoreMetrics>;
  /** `final`: metrics.json; `live`: computed from the results written so far. */
  metricsSource: 'final' | 'live';
  /** The folder's metrics.json is of a Plexus that counted unpriced calls as $0 (see `costText`). */
  olderRun?: boolean;
  /** Why the live metrics compare labels the default way: the scores' `normalize_labels` are unknown. */
  normalizationProblem?: string | null;
  index: ResultIndex;
  texts: ItemTexts;
  filter: ItemFilter;
  filtered: FilteredItems;
  /** The page's rows, read whole from results.jsonl. */
  rows: { number: number; line: ResultLine }[];
  hasReport: boolean;
}

/** Lines of score `name` whose status is `status`. */
function statusCount(index: ResultIndex, name: string, status: string): number {
  const score = index.scores.find(name);
  const wanted = index.statuses.find(status);
  let count = 0;
  if (score === undefined || wanted === undefined) return 0;
  for (let line = 0; line < index.lineCount; line += 1)
    if (index.scoreIds[line] === score && index.statusIds[line] === wanted) count += 1;
  return count;
}

/**
 * The metrics' skipped count, which holds a disabled score's lines too: their share is said, as
 * the status filter lists them apart (skipped 300 beside status=skipped: no results).
 */
function skippedCell(index: ResultIndex, name: string, skipped: number): string {
  const disabled = statusCount(index, name, 'disabled');
  return disabled > 0
    ? `${skipped} <span class="note">(${disabled} disabled)</span>`
    : String(skipped);
}

/** Labels offered in a filter's list; past this many the filter is typed instead. */
const listedLabels = 300;

function summaryTable(view: RunView): string {
  const rows = Object.entries(view.metrics)
    .map(([name, score]) => {
      const link = `/run/${segment(view.name)}${queryOf({ ...view.filter, page: 1 }, { score: name, page: 1 })}`;
      const interval = score.accuracy_ci95
        ? ` <span class="note">[${score.accuracy_ci95.map((value) => value.toFixed(3)).join(', ')}]</span>`
        : '';
      return `<tr><td><a href="${escapeHtml(link)}">${escapeHtml(name)}</a></td><td class="number">${score.n_results}</td><td class="number">${score.n}</td><td class="number">${escapeHtml(shareText(score.accuracy))}${interval}</td><td class="number">${escapeHtml(shareText(score.f1?.macro))}</td><td class="number">${escapeHtml(chanceCorrected(score.gwet_ac1, score.n))}</td><td class="number">${score.n_errors}</td><td class="number">${skippedCell(view.index, name, score.n_skipped)}</td><td class="number">${score.n_unlabeled}</td><td class="number cost">${escapeHtml(costText(score, view.olderRun))}</td></tr>`;
    })
    .join('');
  const source =
    view.metricsSource === 'final'
      ? 'from metrics.json'
      : `live: computed from the ${view.index.lineCount} results written so far${view.normalizationProblem ? `; labels compared the default way (ignoring case, n/a as na): ${view.normalizationProblem}` : ''}`;
  const sections = Object.entries(view.metrics)
    .map(
      ([name, score], index) =>
        // The name isolated (<bdi>): a right-to-left override in it reversed the words after it.
        `<details class="report-section"><summary><bdi>${escapeHtml(name)}</bdi>: confusion matrix, per class, predicted labels</summary>${scoreSection(name, score, index)}</details>`,
    )
    .join('');
  return `<h2>Scores <span class="note" id="scores-source">${escapeHtml(source)}</span></h2><table id="scores"><thead><tr><th>score</th><th class="number">results</th><th class="number">in metrics</th><th class="number">accuracy [95% CI]</th><th class="number">F1 macro</th><th class="number">Gwet's AC1</th><th class="number">errors</th><th class="number">skipped</th><th class="number">unlabeled</th><th class="number">cost</th></tr></thead><tbody>${rows}</tbody></table>${sections}`;
}

function select(
  name: string,
  label: string,
  values: readonly string[],
  chosen: string,
  first = '<option value="">all</option>',
): string {
  if (values.length > listedLabels)
    return `<label>${escapeHtml(label)} <input name="${name}" value="${escapeHtml(chosen)}" size="12"></label>`;
  const options = values
    .map(
      (value) =>
        `<option value="${escapeHtml(value)}"${value === chosen ? ' selected' : ''}>${escapeHtml(value)}</option>`,
    )
    .join('');
  return `<label>${escapeHtml(label)} <select name="${name}">${first}${options}</select></label>`;
}

/** The search's places: item texts (the default), explanations and errors, or both. */
function scopeSelect(chosen: string): string {
  const options = searchScopes
    .map(
      (scope) =>
        `<option value="${scope}"${scope === (chosen || 'text') ? ' selected' : ''}>${escapeHtml(scopeText(scope))}</option>`,
    )
    .join('');
  return `<label>in <select name="in">${options}</select></label>`;
}

function filterForm(view: RunView): string {
  const { filter, index } = view;
  const labels = [...index.labels.list].sort();
  return `<form class="filters" id="filters" method="get" action="/run/${segment(view.name)}">
${select('score', 'score', index.scores.list, filter.score)}
${select('gold', 'gold', labels, shownLabel(index, filter, filter.gold))}
${select('predicted', 'predicted', labels, shownLabel(index, filter, filter.predicted))}
${select('outcome', 'answer', outcomes, filter.outcome)}
${select('status', 'status', index.statuses.list, filter.status)}
<input type="search" name="q" value="${escapeHtml(filter.text)}" placeholder="search">
${scopeSelect(filter.scope)}
<button type="submit">Filter</button> <a href="/run/${segment(view.name)}">clear</a></form>
<p class="note">Gold and predicted labels are as the metrics name them (the score's normalize_labels: <code>Yes </code> and <code>yes</code> are one). The search looks, by default, at item ids, labels and the first ${searchedTextChars} characters of each item's text; with explanations, at the first ${searchedExplanationChars} characters of explanations and error messages (a rule's explanation names the phrases it did not find).</p>${problemsHtml(view)}`;
}

/** The filter values that name nothing in the run: said, not an empty list in silence. */
function problemsHtml(view: RunView): string {
  const problems = filterProblems(view.index, view.filter);
  if (problems.length === 0) return '';
  // Each value isolated (<bdi>): a right-to-left override in a link's value reversed the rest.
  const listed = problems
    .map(
      ({ name, value, whose, known }) =>
        `${escapeHtml(name)} "<bdi>${escapeHtml(value)}</bdi>" is none of <bdi>${escapeHtml(whose)}</bdi>: <bdi>${escapeHtml(known)}</bdi>`,
    )
    .join('; ');
  return `<p class="problem" id="filter-problem">Nothing can match: ${listed}.</p>`;
}

/** Characters of an explanation a list row shows (the item page shows all). */
const rowExplanationChars = 400;

/** An explanation for a list row: a JSON object as `key: value · ...`, cut to its first characters. */
export function shortExplanation(explanation: string): string {
  let text = explanation;
  if (explanation.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(explanation);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        text = Object.entries(parsed)
          .map(
            ([key, value]) =>
              `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
          )
          .join(' · ');
    } catch {
      // not JSON: as it is
    }
  }
  return text.length > rowExplanationChars ? `${text.slice(0, rowExplanationChars)}…` : text;
}

function row(view: RunView, number: number, line: ResultLine): string {
  const text = textOf(view, line.item_id);
  const textCell = text
    ? `${escapeHtml(text.snippet)}${text.length > text.snippet.length ? '…' : ''}`
    : '<span class="note">—</span>';
  const outcome = outcomeOf(line);
  const explanation = line.status === 'error' ? line.error?.message : line.explanation;
  const itemLink = itemPath(view.name, line.item_id);
  return `<tr data-line="${number}"><td><a href="${escapeHtml(itemLink)}">${escapeHtml(line.item_id)}</a></td><td>${escapeHtml(line.score)}</td><td>${escapeHtml(line.status)}</td><td>${escapeHtml(line.label ?? '—')}</td><td>${escapeHtml(line.value ?? '—')}</td><td class="${outcome}">${outcome}</td><td class="number">${formatNumber(line.confidence, 2)}</td><td class="text">${textCell}</td><td class="explanation">${isolatedText(shortExplanation(explanation ?? ''))}</td></tr>`;
}

function pager(view: RunView): string {
  const { filter, filtered } = view;
  const base = `/run/${segment(view.name)}`;
  const link = (target: number, text: string) =>
    target >= 1 && target <= filtered.pages && target !== filter.page
      ? `<a href="${escapeHtml(base + queryOf(filter, { page: target }))}">${text}</a>`
      : `<span class="note">${text}</span>`;
  const first = (filter.page - 1) * pageSize + 1;
  // The searched text isolated (<bdi>): a right-to-left override in it reversed the counts after it.
  const searched =
    filter.text === ''
      ? ''
      : ` "<bdi>${escapeHtml(filter.text)}</bdi>" in ${scopeText(filter.scope)}`;
  const shown =
    filtered.matched === 0
      ? `no results match${searched}`
      : `results ${first}–${first + filtered.lines.length - 1} of ${filtered.matched} matching${searched} (of ${view.index.lineCount})`;
  return `<div class="pager"><span id="matched">${shown}</span>${link(filter.page - 1, '← previous')}<span>page ${filter.page} of ${filtered.pages}</span>${link(filter.page + 1, 'next →')}</div>`;
}

/** The run's items: run.json's count once the run ended and counted them, else what is known. */
function itemsText(view: RunView): string {
  const { info } = view;
  if (info.status === 'running') return '—';
  if (!info.ended_at)
    return `unknown (the run ended without counting them; ${view.index.items.length} have results so far)`;
  if (info.counts_unknown) return `unknown (${escapeHtml(info.counts_unknown)})`;
  return String(info.counts.items);
}

/**
 * The dataset rows the run could not read (malformed: not scored), once it ended and counted them;
 * the page said nothing of them.
 */
function rowsNotRead(info: RunInfo): string {
  if (info.status === 'running' || !info.ended_at || info.counts_unknown) return '';
  const rows = info.counts.malformed_rows;
  const why = rows > 0 ? ' (why: dataset-errors.jsonl in the run folder)' : '';
  return `<span id="rows-not-read">dataset rows not read: ${rows}${why}</span>`;
}

function header(view: RunView): string {
  const { info } = view;
  const live =
    info.status === 'running'
      ? '<p class="live">This run is going: the page reloads every 5 seconds with the results written so far.</p>'
      : '';
  const problem =
    info.error && info.status !== 'completed'
      ? `<p class="problem">${escapeHtml(info.error)}</p>`
      : '';
  const textProblem = view.texts.problem
    ? `<p class="problem">${escapeHtml(view.texts.problem)}</p>`
    : '';
  const report = view.hasReport
    ? `<span><a href="/run/${segment(view.name)}/report.html">report.html</a></span>`
    : '';
  return `<h1><bdi>${escapeHtml(info.scorecard.name)}</bdi> <span class="note">${escapeHtml(view.name)}</span></h1>
<div class="meta"><span>status: <b class="status-${escapeHtml(info.status)}">${escapeHtml(info.status)}</b></span><span>started: ${escapeHtml(startText(info.started_at))} UTC</span><span>duration: ${escapeHtml(durationText(info, info.duration_s))}</span><span>items: ${itemsText(view)}</span>${rowsNotRead(info)}<span id="from-cache">from the cache: ${view.index.cachedLines} of ${view.index.lineCount} results</span><span>dataset: <bdi>${escapeHtml(info.data.path)}</bdi></span>${report}</div>${live}${problem}${textProblem}`;
}

/** A run: its scores' metrics (live while it runs) and its results, filtered and paged. */
export function runPage(view: RunView): string {
  const rows = view.rows.map(({ number, line }) => row(view, number, line)).join('');
  const unreadable =
    view.index.unreadableLines > 0
      ? `<p class="note">${view.index.unreadableLines} lines of results.jsonl are not JSON (cut short by a crash) and are not listed.</p>`
      : '';
  const body = `${header(view)}${summaryTable(view)}<h2>Results</h2>${filterForm(view)}${pager(view)}
<table id="items"><thead><tr><th>item</th><th>score</th><th>status</th><th>gold</th><th>predicted</th><th>answer</th><th class="number">confidence</th><th>text</th><th>explanation or error</th></tr></thead><tbody>${rows}</tbody></table>${pager(view)}${unreadable}`;
  return page(
    `${view.info.scorecard.name} ${view.name}`,
    body,
    view.info.status === 'running' ? { refreshSeconds: 5 } : {},
  );
}
