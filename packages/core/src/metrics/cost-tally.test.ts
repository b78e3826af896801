import { describe, expect, it } from 'vitest';
import type { EngineResult } from '../engine/engine.js';
import { type ResultLine, toResultLine } from '../run/result-line.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { costText } from './cost-shown.js';
import { RunMetrics } from './run-metrics.js';

function line(score: string, output: ScoreOutputV1, cached = false): ResultLine {
  const result = {
    item: { id: `${score}-${Math.random()}`, text: '', metadata: {}, results: {} },
    score,
    output,
    cached,
    latencyMs: 1,
  } as unknown as EngineResult;
  return toResultLine(result, 'yes');
}

const ok = { value: 'yes', status: 'ok' } as const;

describe('costs at an unknown price', () => {
  it('stay null through the result line, the score and the run; a priced score keeps its sum', () => {
    const lines = [
      line('Priced', { ...ok, usage: { calls: 1, costUsd: 0.25 } }),
      line('Priced', { ...ok, usage: { calls: 1, costUsd: 0.5 } }),
      // A result from the result cache made no call: 0, even for a model without a price.
      line(
        'Azure',
        { ...ok, usage: { calls: 1, costUsd: null, unpricedModel: 'openai dep' } },
        true,
      ),
      line('Azure', { ...ok, usage: { calls: 1, costUsd: null, unpricedModel: 'openai dep' } }),
      // No usage at all (a rule score): nothing paid.
      line('Rules', ok),
    ];
    expect(lines.map((entry) => entry.cost_usd)).toEqual([0.25, 0.5, 0, null, 0]);
    expect(lines[3]!.unpriced_model).toBe('openai dep');
    expect(lines[0]!.unpriced_model).toBeUndefined();

    const metrics = new RunMetrics([{ name: 'Priced' }, { name: 'Azure' }, { name: 'Rules' }]);
    for (const entry of lines) metrics.add(entry);
    const scores = metrics.finish();
    expect(scores.Priced).toMatchObject({ cost_usd: 0.75, unpriced_models: [] });
    expect(scores.Azure).toMatchObject({ cost_usd: null, unpriced_models: ['openai dep'] });
    expect(scores.Rules).toMatchObject({ cost_usd: 0, unpriced_models: [] });
    expect(metrics.totals.cost_usd).toBeNull();
    expect(metrics.totals.unpriced_models).toEqual(['openai dep']);
  });

  it('print as unknown, naming the models; known costs with 4 decimals', () => {
    const cost = (usd: number | null, unpricedModels: string[] = []) =>
      costText({ usd, unpricedModels, llmCalls: 1 });
    expect(cost(null, ['openai a', 'openai b'])).toBe('unknown (no price for openai a, openai b)');
    expect(cost(null)).toBe('unknown');
    expect(cost(0)).toBe('$0.0000');
    expect(cost(0.12345)).toBe('$0.1235');
  });
});
