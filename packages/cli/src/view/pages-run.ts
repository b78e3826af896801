import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Two run folders written line by line (no scoring): labels in several spellings, errors, skips,
 * cache hits, JSON and plain explanations (Hebrew and Arabic phrases among them), texts kept
 * whole, cut (`text_length`) or not at all, a resume's repeated lines and a line cut short. The
 * viewer's pages over them are compared with the pages of the viewer before its index kept no
 * text in memory (`pages-unchanged.test.ts`).
 */
export function writePagesRuns(root: string): void {
  writeRun(root, 'pages-a', 0);
  writeRun(root, 'pages-b', 1);
}

const golds = ['yes', 'no', 'Yes ', 'no'];
const phrases = ['refund', 'שלום עולם', 'مرحبا بكم', 'card ending', 'café'];

function textOf(item: number): string {
  const phrase = phrases[item % phrases.length];
  const base = `Caller ${item}: I want a ${phrase} please, number ${item * 7}.`;
  return item % 11 === 0 ? `${base} ${'long story '.repeat(150)}` : base;
}

function line(item: number, score: string, variant: number, resumed = false): string {
  const id = `i-${item}`;
  const gold = score === 'Tone' ? null : golds[item % golds.length]!;
  const failed = (item + variant) % 17 === 5;
  const skipped = score === 'Tone' && item % 13 === 4;
  const value =
    failed || skipped ? null : (item * 3 + variant + (resumed ? 1 : 0)) % 5 < 3 ? 'yes' : 'no';
  const shownValue = value === 'yes' && item % 9 === 0 ? 'YES' : value;
  const correct = gold === null || value === null ? null : value === gold.trim().toLowerCase();
  const phrase = phrases[(item + 1) % phrases.length];
  const explanation =
    item % 3 === 0
      ? JSON.stringify({ label: shownValue, reason: `heard ${phrase}` })
      : `not found: "${phrase}"; found "number ${item}"`;
  const keepsText = score === 'Intent' && item % 23 !== 3;
  const text = textOf(item);
  const cut = text.length > 1000;
  return JSON.stringify({
    item_id: id,
    score,
    value: shownValue,
    status: failed ? 'error' : skipped ? 'skipped' : 'ok',
    label: gold,
    correct,
    explanation: failed || skipped ? null : explanation,
    confidence: failed || skipped ? null : ((item * 37) % 100) / 100,
    cost_usd: score === 'Tone' ? 0.000002 * (item % 4) : 0,
    input_tokens: 12,
    output_tokens: 3,
    llm_calls: score === 'Tone' ? 1 : 0,
    retries: 0,
    latency_ms: 1.5 + (item % 7),
    cached: item % 8 === 1,
    error: failed ? { message: `timeout after ${item} ms (${phrase})` } : null,
    trace: { hits: [{ phrase }] },
    ...(keepsText ? { text: cut ? text.slice(0, 1000) : text } : {}),
    ...(keepsText && cut ? { text_length: text.length } : {}),
  });
}

function writeRun(root: string, name: string, variant: number): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (let item = 0; item < 240; item += 1) {
    lines.push(line(item, 'Intent', variant));
    if (item % 29 !== 7) lines.push(line(item, 'Tone', variant));
  }
  // A resume: some items scored again (their later lines), then a line a crash cut short.
  for (const item of [2, 50, 51, 199]) lines.push(line(item, 'Intent', variant, true));
  lines.push('{"item_id":"i-300","score":"Int');
  writeFileSync(join(dir, 'results.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'scorecard.yaml'),
    'name: Pages\nscores:\n  - name: Intent\n    class: echo/guess\n    labels: [yes, no]\n  - name: Tone\n    class: echo/guess\n    labels: [yes, no]\n',
  );
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      version: 1,
      id: `run-${name}`,
      scorecard: { name: 'Pages', key: 'pages', path: '/cards/pages.yaml', hash: 'h' },
      fingerprints: { Intent: 'f1', Tone: 'f2' },
      data: { path: '/data/no-such-calls.jsonl', sha256: 's', bytes: 1, rows: 240, gold: {} },
      options: { scores: null, limit: null, sample: null },
      status: 'completed',
      started_at: '2026-03-01T08:00:00.000Z',
      ended_at: '2026-03-01T08:01:00.000Z',
      duration_s: 60,
      counts: {
        items: 240,
        results: lines.length - 1,
        errors: 0,
        skipped: 0,
        malformed_rows: 0,
        cache_hits: 30,
      },
      error: null,
    }),
  );
}

/** The pages compared: run pages under every filter, items, the compare page. */
export const comparedPages = [
  '/run/pages-a',
  '/run/pages-a?page=3',
  '/run/pages-a?page=99',
  '/run/pages-a?score=Tone',
  '/run/pages-a?gold=yes',
  '/run/pages-a?gold=YES&score=Intent',
  '/run/pages-a?predicted=yes&gold=no',
  '/run/pages-a?outcome=incorrect',
  '/run/pages-a?outcome=unjudged&page=2',
  '/run/pages-a?status=error',
  '/run/pages-a?status=skipped',
  '/run/pages-a?q=refund',
  '/run/pages-a?q=REFUND&page=2',
  '/run/pages-a?q=%D7%A9%D7%9C%D7%95%D7%9D',
  '/run/pages-a?q=not+found&in=explanations',
  '/run/pages-a?q=timeout&in=all',
  '/run/pages-a?q=i-19',
  '/run/pages-a?q=long+story',
  '/run/pages-a?q=caf%C3%A9',
  '/run/pages-a?q=zzzz',
  '/run/pages-a?gold=nope&status=odd&in=where',
  '/run/pages-a/item/i-0',
  '/run/pages-a/item/i-3',
  '/run/pages-a/item/i-22',
  '/run/pages-a/item/i-50',
  '/run/pages-a/item/i-300',
  '/compare?a=pages-a&b=pages-b',
];

/** The parts of a page a section of its HTML is taken for (see `pageParts`). */
const partPatterns: [string, RegExp][] = [
  ['from cache', /<span id="from-cache">.*?<\/span>/s],
  ['filters', /<form class="filters".*?<\/form>/s],
  ['filter problem', /<p class="problem" id="filter-problem">.*?<\/p>/s],
  ['pager', /<div class="pager">.*?<\/div>/s],
  ['rows', /<table id="items">.*?<\/table>/s],
  ['flipped items', /<div class="panel flipped">.*<\/div>/s],
];

/**
 * The words of a page its index gives (tags taken out, so that markup such as <bdi> around a name
 * changes nothing): a run page's cache count, filters, pager and rows; the compare page's flipped
 * items; an item page whole. What other parts render from metrics (the scores
 * table, a p-value, a confusion matrix) is left out.
 */
export function pageParts(path: string, html: string): Record<string, string> {
  const words = (text: string) =>
    text
      .replace(/<(style|script)\b.*?<\/\1>/gs, '')
      .replace(/<[^>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  if (!path.startsWith('/run/pages-a?') && path !== '/run/pages-a' && !path.startsWith('/compare'))
    return { page: words(html) };
  const parts: Record<string, string> = {};
  for (const [name, pattern] of partPatterns) {
    const found = pattern.exec(html);
    if (found) parts[name] = words(found[0]);
  }
  return parts;
}
