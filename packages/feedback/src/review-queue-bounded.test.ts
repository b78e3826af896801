import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabelNormalizer, normalizeLabel } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import type { QueueItem, QueueOptions, ReviewQueue } from './review-queue.js';
import { type RunResult, readRunResults } from './run-answers.js';
import { reviewQueueOfRun } from './run-queue.js';

/**
 * The review queue as it was before it kept no result whole (HEAD ad3a755, verbatim but for
 * names, the option checks and a cell's order, fixed since): every result of the run grouped by
 * item, ranked, sorted.
 */
function queueBefore(results: readonly RunResult[], options: QueueOptions): ReviewQueue {
  const known = [...new Set(results.map((result) => result.score))];
  const scores = options.scores && options.scores.length > 0 ? options.scores : known;
  const normalizer = options.normalizer ?? (() => normalizeLabel);
  const uncertainty = (list: readonly RunResult[]) => {
    const confidences = list
      .filter((result) => result.status === 'ok' && result.confidence !== null)
      .map((result) => result.confidence!);
    return confidences.length > 0 ? Math.min(...confidences) : undefined;
  };
  const disagreement = (list: readonly RunResult[]) => {
    const values = list
      .filter((result) => result.value !== null)
      .map((result) => normalizer(result.score)(result.value!));
    if (values.length < 2) return undefined;
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return 1 - Math.max(...counts.values()) / values.length;
  };
  const cellMatch = (list: readonly RunResult[]) => {
    const [result] = list;
    if (result?.status !== 'ok' || result.label === null || result.value === null) return undefined;
    const same: LabelNormalizer = normalizer(result.score);
    return same(result.label) === same(options.cell!.gold) &&
      same(result.value) === same(options.cell!.predicted)
      ? 0
      : undefined;
  };
  const items = new Map<string, RunResult[]>();
  for (const result of results) {
    const list = items.get(result.item_id);
    if (list) list.push(result);
    else items.set(result.item_id, [result]);
  }
  const ranked: { item: QueueItem; second: number; order: number }[] = [];
  let considered = 0;
  for (const [itemId, all] of items) {
    const chosen = all.filter((result) => scores.includes(result.score));
    if (chosen.length === 0) continue;
    considered += 1;
    const priority =
      options.by === 'uncertainty'
        ? uncertainty(chosen)
        : options.by === 'disagreement'
          ? disagreement(chosen)
          : cellMatch(chosen);
    if (priority === undefined) continue;
    const answers: Record<string, string | null> = Object.create(null);
    for (const result of all) answers[result.score] = result.value;
    const text = all.find((result) => result.text !== null)?.text ?? null;
    ranked.push({
      item: { item_id: itemId, text, answers, priority },
      // As fixed since (`review-queue-cell-order.test.ts`): a cell's items in run order.
      second: options.by === 'cell' ? 0 : (uncertainty(chosen) ?? 1),
      order: considered,
    });
  }
  const direction = options.by === 'disagreement' ? -1 : 1;
  ranked.sort(
    (a, b) =>
      direction * (a.item.priority - b.item.priority) || a.second - b.second || a.order - b.order,
  );
  const unranked = options.by === 'cell' ? 0 : considered - ranked.length;
  return { items: ranked.slice(0, options.n).map((entry) => entry.item), considered, unranked };
}

/** A seeded generator (the same run each time). */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A run of 400 items and three scores: answers in several spellings, confidences with ties and
 * none, errors and skips, texts on some lines only, items interleaved, a resume's later lines that
 * replace earlier ones, a line cut short and a last line without its newline.
 */
function writeRun(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-queue-'));
  const random = numbers(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const lines: string[] = [];
  const line = (item: number, score: string) =>
    JSON.stringify({
      item_id: `item-${item}`,
      score,
      value: pick(['yes', 'no', 'Yes', 'yes ', 'NO', null]),
      status: pick(['ok', 'ok', 'ok', 'ok', 'error', 'skipped']),
      label: pick(['yes', 'no', 'YES', null]),
      confidence: pick([0.5, 0.75, 0.9, 1, null, Math.round(random() * 100) / 100]),
      ...(random() < 0.6 ? { text: `text of ${item} by ${score} שלום` } : {}),
    });
  for (let item = 0; item < 400; item += 1)
    for (const score of ['Rule', 'LLM', 'Forest'])
      if (random() < 0.85) lines.push(line(random() < 0.1 ? item + 3 : item, score));
  lines.push('{"item_id":"item-2","score":"Ru');
  for (let again = 0; again < 60; again += 1) lines.push(line(Math.floor(random() * 400), 'LLM'));
  writeFileSync(join(dir, 'results.jsonl'), lines.join('\n'));
  return dir;
}

describe('review queue of a run folder, bounded', () => {
  const dir = writeRun();
  const caseSensitive = () => (label: string) => label;
  const cases: [string, QueueOptions][] = [
    ['uncertainty, 10', { n: 10, by: 'uncertainty' }],
    ['uncertainty, all', { n: 10_000, by: 'uncertainty' }],
    ['uncertainty, one score', { n: 25, by: 'uncertainty', scores: ['Forest'] }],
    ['disagreement, 40', { n: 40, by: 'disagreement' }],
    ['disagreement, two scores, all', { n: 10_000, by: 'disagreement', scores: ['Rule', 'LLM'] }],
    ['disagreement, case kept', { n: 30, by: 'disagreement', normalizer: caseSensitive }],
    ['cell', { n: 10_000, by: 'cell', scores: ['LLM'], cell: { gold: 'yes', predicted: 'no' } }],
    [
      'cell, case kept',
      {
        n: 5,
        by: 'cell',
        scores: ['Rule'],
        cell: { gold: 'YES', predicted: 'Yes' },
        normalizer: caseSensitive,
      },
    ],
    ['none asked', { n: 0, by: 'uncertainty' }],
  ];

  it.each(cases)('%s: the queue it was', async (_, options) => {
    const now = await reviewQueueOfRun(dir, options);
    const before = queueBefore(await readRunResults(dir), options);
    expect(now.items.length).toBeGreaterThan(options.n === 0 ? -1 : 0);
    // JSON: the answers' key order too (the CSV's columns follow it).
    expect(JSON.stringify({ ...now, scores: undefined })).toBe(JSON.stringify(before));
    expect(now.scores).toEqual(['Rule', 'LLM', 'Forest']);
  });

  it('a hand count: the resume line replaces the first, the text is the first line with one', async () => {
    const small = mkdtempSync(join(tmpdir(), 'plexus-queue-'));
    const lines = [
      { item_id: 'a', score: 'R', value: 'yes', status: 'ok', label: null, confidence: 0.9 },
      { item_id: 'b', score: 'R', value: 'no', status: 'ok', label: null, confidence: 0.2 },
      {
        item_id: 'a',
        score: 'L',
        value: 'no',
        status: 'ok',
        label: null,
        confidence: 0.6,
        text: 'A',
      },
      { item_id: 'c', score: 'R', value: 'yes', status: 'ok', label: null, confidence: null },
      // The resume: b answered again, now surer.
      {
        item_id: 'b',
        score: 'R',
        value: 'yes',
        status: 'ok',
        label: null,
        confidence: 0.95,
        text: 'B',
      },
    ];
    writeFileSync(
      join(small, 'results.jsonl'),
      `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
    );
    const queue = await reviewQueueOfRun(small, { n: 5, by: 'uncertainty' });
    // a: lowest of 0.9 and 0.6; b: 0.95 (not 0.2, replaced); c: no confidence, left out.
    expect(queue.items.map((item) => [item.item_id, item.priority, item.text])).toEqual([
      ['a', 0.6, 'A'],
      ['b', 0.95, 'B'],
    ]);
    expect(queue.items[0]!.answers).toEqual({ R: 'yes', L: 'no' });
    expect(queue).toMatchObject({ considered: 3, unranked: 1, scores: ['R', 'L'] });
  });

  it('names a folder without results', async () => {
    await expect(
      reviewQueueOfRun(mkdtempSync(join(tmpdir(), 'plexus-queue-')), { n: 1, by: 'uncertainty' }),
    ).rejects.toThrow(/no results.jsonl: pass --run a run folder/);
  });
});
