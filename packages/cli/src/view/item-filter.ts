import type { ItemTexts } from './item-texts.js';
import type { Outcome, ResultIndex } from './result-index.js';

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
  /** Text search: ids, labels, explanations, errors and the start of the item's text. */
  text: string;
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

/** An id that matches nothing: a filter naming an unknown label or score matches no line. */
const nothing = -2;

function idOrNothing(value: string, find: (name: string) => number | undefined): number {
  if (value === '') return -1;
  return find(value) ?? nothing;
}

/** The lines whose own search text, and the items whose text, contain `needle`. */
function searchMarks(index: ResultIndex, needle: string, texts?: ItemTexts) {
  const lines = new Uint8Array(index.lineCount);
  index.searchText.search(needle, lines);
  const items = new Uint8Array(index.items.length);
  index.itemText.search(needle, items, (entry) => index.itemOfText[entry]!);
  texts?.searchFor(needle, (id) => {
    const item = index.itemNumbers.get(id);
    if (item !== undefined) items[item] = 1;
  });
  return { lines, items };
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
  const gold = idOrNothing(filter.gold, (name) => index.labels.find(name));
  const predicted = idOrNothing(filter.predicted, (name) => index.labels.find(name));
  const outcome = filter.outcome as Outcome | '';
  const needle = filter.text.toLowerCase();
  const search = needle === '' ? undefined : searchMarks(index, needle, texts);
  const first = (filter.page - 1) * pageSize;
  const lines: number[] = [];
  let matched = 0;
  for (let line = 0; line < index.lineCount; line += 1) {
    if (score !== -1 && index.scoreIds[line] !== score) continue;
    if (status !== -1 && index.statusIds[line] !== status) continue;
    if (gold !== -1 && index.goldIds[line] !== gold) continue;
    if (predicted !== -1 && index.valueIds[line] !== predicted) continue;
    if (outcome !== '' && index.outcomes[line] !== outcome) continue;
    if (search && !search.lines[line] && !search.items[index.itemOfLine[line]!]) continue;
    if (matched >= first && lines.length < pageSize) lines.push(line);
    matched += 1;
  }
  return { lines, matched, pages: Math.max(1, Math.ceil(matched / pageSize)) };
}
