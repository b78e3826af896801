import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../dataset/dataset.js';
import type { ResultLine } from '../run/result-line.js';
import type { ScoreV1 } from '../spec/score-spec.js';
import { resultLineBatches, resultLines, runEngine, runEngineBatches } from './engine.js';
import { cardItems, collect, testScores } from './engine-fixture.js';

const labelledItems = (count: number) =>
  cardItems(count, (index) => ({ labels: { Card: index % 2 === 0 ? 'yes' : 'no' } }));

const card = `name: X
scores:
  - { name: Card, class: test/contains, word: card, batch_size: 100 }
  - { name: Lost, class: test/contains, word: number, depends_on: { Card: { operator: "==", value: "yes" } } }
`;

describe('runEngineBatches', () => {
  it('yields in groups exactly the results runEngine yields one at a time', async () => {
    const scores = await testScores(card);
    const single = await collect(runEngine({ scores, scorecard: 'X', items: labelledItems(1000) }));
    const groups = await collect(
      runEngineBatches({ scores, scorecard: 'X', items: labelledItems(1000) }),
    );
    const key = (result: { item: { id: string }; score: string; output: unknown }) =>
      JSON.stringify([result.item.id, result.score, result.output]);
    expect(single).toHaveLength(2000);
    // Fewer groups than results: results completed together come out together.
    expect(groups.length).toBeLessThan(single.length);
    expect(groups.flat().map(key).sort()).toEqual(single.map(key).sort());
  });

  it('gives result lines in groups equal to resultLines, the text on each item`s first line', async () => {
    const scores = await testScores(card);
    const options = { scores, scorecard: 'X', storage: { itemTextChars: 5 } };
    const lines = await collect(resultLines({ ...options, items: labelledItems(300) }));
    const grouped = (
      await collect(resultLineBatches({ ...options, items: labelledItems(300) }))
    ).flat();
    const strip = (line: ResultLine) => JSON.stringify({ ...line, latency_ms: 0 });
    expect(grouped.map(strip).sort()).toEqual(lines.map(strip).sort());
    // Hand count: 300 items, each text stored once, cut to 5 characters.
    const withText = grouped.filter((line) => line.text !== undefined);
    expect(withText).toHaveLength(300);
    expect(new Set(withText.map((line) => line.item_id)).size).toBe(300);
    expect(withText.every((line) => line.text!.length === 5 && line.text_length! > 5)).toBe(true);
    // Gold compared as the score normalises: items 0, 6, 12... contain "card" and have gold yes.
    const card0 = grouped.find((line) => line.item_id === 'item-0' && line.score === 'Card')!;
    expect(card0).toMatchObject({ value: 'yes', label: 'yes', correct: true });
    const card3 = grouped.find((line) => line.item_id === 'item-3' && line.score === 'Card')!;
    expect(card3).toMatchObject({ value: 'yes', label: 'no', correct: false });
  });

  it('fills a batch score`s batches up to the window when the items are ready at once', async () => {
    const [entry] = await testScores(card);
    const sizes: number[] = [];
    const score: ScoreV1 = {
      specificationVersion: 'v1',
      kind: 'test/sizes',
      name: 'Card',
      fingerprint: 'sizes',
      maxBatchSize: 1000,
      async doScore({ items }) {
        sizes.push(items.length);
        return items.map(() => ({ value: 'yes', status: 'ok' as const }));
      },
    };
    const results = await collect(
      runEngineBatches({
        scores: [{ ...entry!, score }],
        scorecard: 'X',
        items: labelledItems(3000),
      }),
    );
    expect(results.flat()).toHaveLength(3000);
    expect(sizes.reduce((total, size) => total + size, 0)).toBe(3000);
    // In memory, the whole default window (256 items) is ready in one turn: one batch of it.
    expect(sizes[0]).toBe(256);
    expect(Math.max(...sizes)).toBe(256);
  });

  it('reads a JSONL dataset in pieces whose rows share one batch', async () => {
    const [entry] = await testScores(card);
    const folder = mkdtempSync(join(tmpdir(), 'plexus-engine-batches-'));
    try {
      const path = join(folder, 'items.jsonl');
      // 2,000 rows of about 800 bytes: a 128 KiB read holds about 163 of them, one batch (64 KB
      // reads made batches of about 80; 1 MiB reads filled the window of 256).
      const rows = Array.from({ length: 2000 }, (_, index) =>
        JSON.stringify({ id: `item-${index}`, text: `Agent: hello ${'x'.repeat(760)} ${index}` }),
      );
      writeFileSync(path, `${rows.join('\n')}\n`);
      const sizes: number[] = [];
      const score: ScoreV1 = {
        specificationVersion: 'v1',
        kind: 'test/sizes',
        name: 'Card',
        fingerprint: 'sizes',
        maxBatchSize: 1000,
        async doScore({ items }) {
          sizes.push(items.length);
          return items.map(() => ({ value: 'yes', status: 'ok' as const }));
        },
      };
      const results = await collect(
        runEngineBatches({
          scores: [{ ...entry!, score }],
          scorecard: 'X',
          items: readDataset({ path }),
        }),
      );
      expect(results.flat()).toHaveLength(2000);
      expect(sizes.reduce((total, size) => total + size, 0)).toBe(2000);
      expect(Math.max(...sizes)).toBeGreaterThanOrEqual(160);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(170);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps an explicit window: batches never hold more items than it', async () => {
    const [entry] = await testScores(card);
    const sizes: number[] = [];
    const score: ScoreV1 = {
      specificationVersion: 'v1',
      kind: 'test/sizes',
      name: 'Card',
      fingerprint: 'sizes',
      maxBatchSize: 1000,
      async doScore({ items }) {
        sizes.push(items.length);
        return items.map(() => ({ value: 'yes', status: 'ok' as const }));
      },
    };
    await collect(
      runEngineBatches({
        scores: [{ ...entry!, score }],
        scorecard: 'X',
        items: labelledItems(500),
        window: 64,
      }),
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64);
    expect(sizes.reduce((total, size) => total + size, 0)).toBe(500);
  });
});
