import { describe, expect, it } from 'vitest';
import type { ScoreOutputV1, ScoreV1 } from '../spec/score-spec.js';
import { type EngineItem, runEngine } from './engine.js';
import { collect, testScores } from './engine-fixture.js';

async function* itemsOf(
  count: number,
  text: (index: number) => string,
): AsyncGenerator<EngineItem> {
  for (let index = 0; index < count; index += 1)
    yield { id: String(index), text: text(index), metadata: {} };
}

function outputsByKey(
  results: { item: { id: string }; score: string; output: ScoreOutputV1 }[],
): Record<string, ScoreOutputV1> {
  return Object.fromEntries(
    results.map((result) => [`${result.item.id}:${result.score}`, result.output]),
  );
}

describe('runEngine', () => {
  it('runs scores in dependency order and skips unmet conditions', async () => {
    const scores = await testScores(`name: X
scores:
  - { name: Card, class: test/contains, word: card }
  - { name: Lost, class: test/contains, word: lost, depends_on: { Card: { operator: "==", value: YES } } }
  - { name: Off, class: test/contains, word: x, disabled: true }
`);
    const results = await collect(
      runEngine({
        scores,
        scorecard: 'X',
        items: itemsOf(2, (index) => (index === 0 ? 'I lost my card' : 'hello')),
      }),
    );
    const byKey = outputsByKey(results);
    expect(byKey['0:Card']).toMatchObject({ status: 'ok', value: 'yes' });
    expect(byKey['0:Lost']).toMatchObject({ status: 'ok', value: 'yes' });
    expect(byKey['1:Card']).toMatchObject({ status: 'ok', value: 'no' });
    expect(byKey['1:Lost']).toMatchObject({ status: 'skipped' });
    expect(byKey['1:Lost']!.explanation).toMatch(/condition Card == YES not met/);
    expect(byKey['0:Off']).toMatchObject({ status: 'disabled' });
    expect(results).toHaveLength(6);
  });

  it('runs a second tier only below a confidence, and a score after an optional upstream', async () => {
    const scores = await testScores(`name: X
scores:
  - { name: First, class: test/contains, word: card, unsure_on: maybe }
  - { name: Second, class: test/contains, word: lost, depends_on: { First: { confidence_below: 0.5 } } }
  - { name: Last, class: test/contains, word: card, depends_on: { First: {}, Second: { optional: true } } }
  - { name: Strict, class: test/contains, word: card, depends_on: [Second] }
`);
    const results = await collect(
      runEngine({
        scores,
        scorecard: 'X',
        items: itemsOf(2, (index) => (index === 0 ? 'maybe a lost card' : 'my card')),
      }),
    );
    const byKey = outputsByKey(results);
    expect(byKey['0:Second']).toMatchObject({ status: 'ok', value: 'yes' });
    expect(byKey['1:Second']).toMatchObject({ status: 'skipped' });
    expect(byKey['1:Second']!.explanation).toMatch(/First is confident enough \(1\.00 ≥ 0\.5\)/);
    expect(byKey['1:Last']).toMatchObject({ status: 'ok', value: 'yes' });
    expect(byKey['1:Strict']).toMatchObject({ status: 'skipped' });
    expect(results).toHaveLength(8);
  });

  it('rejects a condition with an operator and no value', async () => {
    await expect(
      testScores(`name: X
scores:
  - { name: A, class: test/contains, word: a }
  - { name: B, class: test/contains, word: b, depends_on: { A: { operator: "==" } } }
`),
    ).rejects.toThrow(/operator and value go together/);
  });

  it('gives an error result for a failing batch and goes on', async () => {
    const scores = await testScores(`name: X
scores:
  - { name: A, class: test/contains, word: a, throw_on: boom, batch_size: 1 }
  - { name: B, class: test/contains, word: b, depends_on: [A] }
`);
    const results = await collect(
      runEngine({
        scores,
        scorecard: 'X',
        items: itemsOf(20, (index) => (index === 7 ? 'boom' : `text ${index}`)),
      }),
    );
    expect(results).toHaveLength(40);
    const failed = results.filter((result) => result.output.status === 'error');
    expect(failed.map((result) => `${result.item.id}:${result.score}`)).toEqual(['7:A']);
    expect(failed[0]!.output.error?.message).toMatch(/test failure/);
    expect(
      results.find((result) => result.item.id === '7' && result.score === 'B')?.output.status,
    ).toBe('skipped');
  });

  it('micro-batches ready items up to maxBatchSize', async () => {
    const sizes: number[] = [];
    const score: ScoreV1 = {
      specificationVersion: 'v1',
      kind: 'test/batch',
      name: 'Batch',
      fingerprint: 'f',
      maxBatchSize: 8,
      async doScore({ items }) {
        sizes.push(items.length);
        return items.map(() => ({ value: 'yes', status: 'ok' as const }));
      },
    };
    const [entry] = await testScores(
      'name: X\nscores:\n  - { name: Batch, class: test/contains, word: a }\n',
    );
    const results = await collect(
      runEngine({
        scores: [{ ...entry!, score }],
        scorecard: 'X',
        items: itemsOf(100, () => 'x'),
        concurrency: 1,
      }),
    );
    expect(results).toHaveLength(100);
    expect(Math.max(...sizes)).toBe(8);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(100);
    expect(sizes.length, String(sizes)).toBeLessThan(20);
  });

  it('keeps at most `window` items in flight', async () => {
    let pulled = 0;
    let maxAhead = 0;
    let done = 0;
    async function* counting(): AsyncGenerator<EngineItem> {
      for (let index = 0; index < 500; index += 1) {
        pulled += 1;
        maxAhead = Math.max(maxAhead, pulled - done);
        yield { id: String(index), text: 'x', metadata: {} };
      }
    }
    const scores = await testScores(
      'name: X\nscores:\n  - { name: A, class: test/contains, word: a, delay_ms: 1 }\n',
    );
    for await (const _result of runEngine({
      scores,
      scorecard: 'X',
      items: counting(),
      window: 16,
    }))
      done += 1;
    expect(done).toBe(500);
    expect(maxAhead).toBeLessThanOrEqual(17);
  });

  it('turns labels outside the score labels into errors, and matches case', async () => {
    const [entry] = await testScores(
      'name: X\nscores:\n  - { name: A, class: test/contains, word: a }\n',
    );
    const answers = ['YES', 'maybe'];
    const score: ScoreV1 = {
      specificationVersion: 'v1',
      kind: 'test/odd',
      name: 'A',
      fingerprint: 'f',
      async doScore({ items }) {
        return items.map((item) => ({ value: answers[Number(item.id)]!, status: 'ok' as const }));
      },
    };
    const results = await collect(
      runEngine({ scores: [{ ...entry!, score }], scorecard: 'X', items: itemsOf(2, () => 'x') }),
    );
    const byId = Object.fromEntries(results.map((result) => [result.item.id, result.output]));
    expect(byId['0']).toMatchObject({ status: 'ok', value: 'yes' });
    expect(byId['1']).toMatchObject({ status: 'error', error: { code: 'invalid_label' } });
  });

  it('stops starting work when aborted and yields nothing for abandoned items', async () => {
    const scores = await testScores(
      'name: X\nscores:\n  - { name: A, class: test/contains, word: a, delay_ms: 20, batch_size: 1 }\n',
    );
    const controller = new AbortController();
    const results = [];
    for await (const result of runEngine({
      scores,
      scorecard: 'X',
      items: itemsOf(1000, () => 'x'),
      signal: controller.signal,
      concurrency: 2,
    })) {
      results.push(result);
      if (results.length === 4) controller.abort();
    }
    expect(results.length).toBeGreaterThanOrEqual(4);
    expect(results.length).toBeLessThan(10);
    expect(results.every((result) => result.output.status === 'ok')).toBe(true);
  });

  it('returns at once, with nothing, when the signal is aborted before it starts', async () => {
    const scores = await testScores(
      'name: X\nscores:\n  - { name: A, class: test/contains, word: a, delay_ms: 20 }\n',
    );
    const controller = new AbortController();
    controller.abort();
    const results = await collect(
      runEngine({
        scores,
        scorecard: 'X',
        items: itemsOf(10, () => 'a'),
        signal: controller.signal,
      }),
    );
    expect(results).toEqual([]);
  });

  it('drains: after the drain signal nothing new starts, and calls in flight finish with results', async () => {
    const scores = await testScores(
      'name: X\nscores:\n  - { name: A, class: test/contains, word: a, delay_ms: 30, batch_size: 1 }\n',
    );
    const drain = new AbortController();
    const results = [];
    for await (const result of runEngine({
      scores,
      scorecard: 'X',
      items: itemsOf(100, () => 'a'),
      drain: drain.signal,
      concurrency: 3,
    })) {
      results.push(result);
      if (results.length === 1) drain.abort();
    }
    // The two batches in flight beside the first finish; nothing after them starts.
    expect(results).toHaveLength(3);
    expect(results.every((result) => result.output.status === 'ok')).toBe(true);
  });
});
