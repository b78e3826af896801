import { parseScorecard, type ScoreItemV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

async function valuesOf(when: string, items: Partial<ScoreItemV1>[]): Promise<unknown[]> {
  const yaml = `name: T\nscores:\n  - { name: A, class: heuristic/keywords, phrases: [x] }\n  - name: L\n    class: heuristic/logic\n    depends_on: [A]\n    rules: [{ when: '${when}', label: "yes" }]\n    otherwise: "no"\n`;
  const card = await parseScorecard(yaml, {
    file: '/tmp/logic-scope.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  const score = card.scores.find((entry) => entry.name === 'L')!.score!;
  const outputs = await score.doScore({
    items: items.map((item, index) => ({
      id: String(index),
      text: '',
      metadata: {},
      results: {},
      ...item,
    })),
    signal: new AbortController().signal,
    context: { scorecard: 'T' },
  });
  return outputs.map((output) => output.value);
}

const sure = { A: { value: 'yes', status: 'ok' as const, confidence: 0.9 } };
const unsure = { A: { value: 'yes', status: 'ok' as const, confidence: 0.2 } };

describe('heuristic/logic scopes', () => {
  it('read confidence, results and metadata, by literal and by computed names', async () => {
    const items = [{ results: sure }, { results: unsure }];
    expect(await valuesOf('confidence["A"] > 0.5', items)).toEqual(['yes', 'no']);
    expect(await valuesOf('confidence.A > 0.5 and results.A == "yes"', items)).toEqual([
      'yes',
      'no',
    ]);
    const named = [
      { results: sure, metadata: { which: 'A' } },
      { results: sure, metadata: { which: 'B' } },
    ];
    expect(await valuesOf('results[metadata.which] == "yes"', named)).toEqual(['yes', 'no']);
    expect(await valuesOf('confidence[metadata.which] > 0.5', named)).toEqual(['yes', 'no']);
    expect(await valuesOf('metadata.which == "A"', named)).toEqual(['yes', 'no']);
  });
});
