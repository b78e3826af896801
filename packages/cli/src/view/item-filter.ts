import type { ItemTexts } from './item-texts.js';
import { type Outcome, outcomeNames, type ResultIndex } from './result-index.js';
import { searchForm } from './text-store.js';

/** Result lines listed per page. */
export const pageSize = 50;

/** The filters of an item list, as in the page's query string. */
export interface ItemFilter {
  score: string;
  gold: string;
  predicted: string;
  /** `correct`, `incorrect` or `unjudged`; empty for all. */
  outcome: string;
  status: string;
  /** Text search, lowercased when compared; where it looks is `scope`. */
  text: string;
  /**
   * Where the search looks: `text` (default): the item's id, its text and the labels; `explanations`:
   * explanations and error messages (a rule's names every phrase it did not find); `all`: both.
   */
  scope: string;
  /** 1-based. */
  page: number;
}

export function filterOf(query: URLSearchParams): ItemFilter {
  const page = Number(query.get('page') ?? '1');
  return {
    score: query.get('score') ?? '',
    gold: query.get('gold') ?? '',
    predicted: query.get('predicted') ?? '',
    outcome: query.get('outcome') ?? '',
    status: query.get('status') ?? '',
    text: (query.get('q') ?? '').trim(),
    scope: query.get('in') ?? '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string of `filter` with `changes` applied (empty values left out). */
export function queryOf(filter: ItemFilter, changes: Partial<ItemFilter> = {}): string {
  const merged = { ...filter, ...changes };
  const query = new URLSearchParams();
  const entries: [string, string][] = [
    ['score', merged.score],
    ['gold', merged.gold],
    ['predicted', merged.predicted],
    ['outcome', merged.outcome],
    ['status', merged.status],
    ['q', merged.text],
    ['in', merged.text === '' ? '' : merged.scope],
    ['page', merged.page > 1 ? String(merged.page) : ''],
  ];
  for (const [key, value] of entries) if (value !== '') query.set(key, value);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

export interface FilteredItems {
  /** Line numbers of the page's rows. */
  lines: number[];
  /** Lines matching the filter, over every page. */
  matched: number;
  pages: number;
}

/** The answer filter's values; `outcomeOf` gives each line one. */
export const outcomes: readonly Outcome[] = outcomeNames;
/** The search's places (`ItemFilter.scope`), the default first. */
export const searchScopes = ['text', 'explanations', 'all'] as const;

/** What a search looks at, as the page says it. */
export function scopeText(scope: string): string {
  if (scope === 'explanations') return 'explanations and error messages';
  if (scope === 'all') return 'item ids, texts, labels, explanations and error messages';
  return 'item ids, texts and labels';
}

/** An id that matches nothing: a filter naming an unknown label or score matches no line. */
const nothing = -2;

function idOrNothing(value: string, find: (name: string) => number | undefined): number {
  if (value === '') return -1;
  return find(value) ?? nothing;
}

/**
 * Per score id, the label id a gold or predicted filter value stands for: the value normalised as
 * that score compares labels (`Yes ` is `yes`, as the metrics name it), else as written.
 */
function labelIdsByScore(index: ResultIndex, value: string): number[] | undefined {
  if (value === '') return undefined;
  return index.scores.list.map(
    (score) =>
      index.labels.find(index.normalizerOf(score)(value)) ?? index.labels.find(value) ?? nothing,
  );
}

/**
 * The label a gold or predicted filter value stands for, as the form lists it (`YES` from a link
 * is `yes`): of the chosen score, else of the first score that has it; the value when none does.
 */
export function shownLabel(index: ResultIndex, filter: ItemFilter, value: string): string {
  const ids = labelIdsByScore(index, value);
  if (!ids) return value;
  const chosen = index.scores.find(filter.score);
  const id = chosen === undefined ? ids.find((found) => found !== nothing) : ids[chosen];
  return id === undefined || id === nothing ? value : index.labels.list[id]!;
}

/** Lines and items the search marks (1), in the places `scope` names. */
function searchMarks(index: ResultIndex, needle: string, scope: string, texts?: ItemTexts) {
  const lines = new Uint8Array(index.lineCount);
  const items = new Uint8Array(index.items.length);
  if (scope === 'explanations' || scope === 'all') index.explanationText.search(needle, lines);
  if (scope === 'explanations') return { lines, items };
  index.searchText.search(needle, lines);
  index.itemText.search(needle, items, (entry) => index.itemOfText[entry]!);
  texts?.searchFor(needle, (id) => {
    const item = index.itemNumbers.get(id);
    if (item !== undefined) items[item] = 1;
  });
  return { lines, items };
}

/** A filter value that names nothing in the run, and the values there are (the first 20). */
export interface FilterProblem {
  name: string;
  value: string;
  /** `this run's`, or `score NAME's` for a label when a score is chosen. */
  whose: string;
  known: string;
}

/**
 * What in `filter` names nothing the run has (an edited or old link): each is said on the page,
 * with the values there are, rather than showing no results in silence.
 */
export function filterProblems(index: ResultIndex, filter: ItemFilter): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const check = (
    name: string,
    value: string,
    known: readonly string[],
    found: boolean,
    whose = "this run's",
  ) => {
    if (value === '' || found) return;
    const listed = known.length > 20 ? `${known.slice(0, 20).join(', ')}, …` : known.join(', ');
    problems.push({ name, value, whose, known: listed || 'none' });
  };
  const scoreId = filter.score === '' ? undefined : index.scores.find(filter.score);
  check('score', filter.score, index.scores.list, filter.score === '' || scoreId !== undefined);
  // A label is looked for in the chosen score's lines (gold `yes` is none of Topic's), else in all.
  const chosen = (sets: Set<number>[]) =>
    sets.flatMap((set, score) => (scoreId === undefined || score === scoreId ? [set] : []));
  const labelCheck = (name: string, value: string, sets: Set<number>[]) => {
    const ids = labelIdsByScore(index, value);
    if (!ids) return;
    const found = sets.some((set, score) => set?.has(ids[score]!) && (scoreId ?? score) === score);
    const known = new Set(chosen(sets).flatMap((set) => [...set]));
    const names = [...known].map((id) => index.labels.list[id]!).sort();
    const whose = scoreId === undefined ? undefined : `score ${filter.score}'s`;
    check(name, value, names, found, whose);
  };
  labelCheck('gold', filter.gold, index.goldOfScore);
  labelCheck('predicted', filter.predicted, index.valuesOfScore);
  check('answer', filter.outcome, outcomes, outcomes.includes(filter.outcome as Outcome));
  check(
    'status',
    filter.status,
    [...index.statuses.list].sort(),
    index.statuses.find(filter.status) !== undefined,
  );
  const scopes: readonly string[] = searchScopes;
  check('search in', filter.scope, searchScopes, scopes.includes(filter.scope));
  return problems;
}

/**
 * The page of lines of `index` that match `filter`, in file order. One pass over in-memory
 * arrays; the text search is one pass over the lines' search texts and one over the items' texts.
 */
export function filterItems(
  index: ResultIndex,
  filter: ItemFilter,
  texts?: ItemTexts,
): FilteredItems {
  const score = idOrNothing(filter.score, (name) => index.scores.find(name));
  const status = idOrNothing(filter.status, (name) => index.statuses.find(name));
  const gold = labelIdsByScore(index, filter.gold);
  const predicted = labelIdsByScore(index, filter.predicted);
  // The outcome's place in `outcomes` (-1: none, so no line, as for an unknown label).
  const outcome = filter.outcome === '' ? undefined : outcomes.indexOf(filter.outcome as Outcome);
  const needle = searchForm(filter.text);
  const search = needle === '' ? undefined : searchMarks(index, needle, filter.scope, texts);
  const first = (filter.page - 1) * pageSize;
  const lines: number[] = [];
  let matched = 0;
  for (let line = 0; line < index.lineCount; line += 1) {
    if (score !== -1 && index.scoreIds[line] !== score) continue;
    if (status !== -1 && index.statusIds[line] !== status) continue;
    if (gold && index.goldIds[line] !== gold[index.scoreIds[line]!]) continue;
    if (predicted && index.valueIds[line] !== predicted[index.scoreIds[line]!]) continue;
    if (outcome !== undefined && index.outcomes[line] !== outcome) continue;
    if (search && !search.lines[line] && !search.items[index.itemOfLine[line]!]) continue;
    if (matched >= first && lines.length < pageSize) lines.push(line);
    matched += 1;
  }
  return { lines, matched, pages: Math.max(1, Math.ceil(matched / pageSize)) };
}
