import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evaluate } from '../run/evaluate.js';
import type { ResultLine } from '../run/result-line.js';
import { definePlugin, defineScoreFactory } from '../spec/score-spec.js';
import { combineSamples } from './sampled-score.js';
import { parseScorecard } from './scorecard-loader.js';

// A score like a sampled model: item "steady" always gets "yes"; item "shaky" gets, call after
// call, yes, no, yes, yes, no, ... (a fixed cycle, so the test knows every sample).
const cycle = ['yes', 'no', 'yes'];
const shakyFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'shaky',
  settingsSchema: z.object({ temperature: z.number().default(0.7) }).strict(),
  outputLabels: () => ['yes', 'no'],
  create() {
    let calls = 0;
    return {
      specificationVersion: 'v1',
      kind: 'test/shaky',
      name: 'shaky',
      labels: ['yes', 'no'],
      fingerprint: 'shaky-1',
      async doScore({ items }) {
        return items.map((item) => {
          const value = item.text === 'shaky' ? cycle[calls++ % cycle.length]! : 'yes';
          return {
            value,
            status: 'ok' as const,
            usage: { calls: 1, inputTokens: 10, outputTokens: 1, costUsd: 0.001 },
          };
        });
      },
    };
  },
});
const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'test',
  factories: [shakyFactory],
});

const folder = mkdtempSync(join(tmpdir(), 'plexus-sampled-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text,Shaky\nsteady,steady,yes\nshaky,shaky,yes\n');

async function load(extra: string) {
  const yaml = `name: Sampled\nscores:\n  - { name: Shaky, class: test/shaky${extra} }\n`;
  const file = join(folder, 'card.yaml');
  writeFileSync(file, yaml);
  return parseScorecard(yaml, { file, plugins: [plugin], cacheDir: folder });
}

describe('samples: N (self-consistency)', () => {
  it('answers the majority with the agreeing share as confidence; metrics count the flips', async () => {
    const out = join(folder, 'run');
    await evaluate({
      scorecard: await load(', samples: 3'),
      data,
      outDir: out,
      cache: false,
      concurrency: 1,
    });
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ResultLine);
    const byId = Object.fromEntries(lines.map((line) => [line.item_id, line]));
    // shaky's three samples: yes, no, yes → yes with confidence 2/3.
    expect(byId.shaky).toMatchObject({
      value: 'yes',
      confidence: 2 / 3,
      llm_calls: 3,
      input_tokens: 30,
    });
    expect(byId.shaky!.cost_usd).toBeCloseTo(0.003, 12);
    expect(byId.shaky!.trace).toEqual({ self_consistency: { samples: ['yes', 'no', 'yes'] } });
    expect(byId.steady).toMatchObject({ value: 'yes', confidence: 1 });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    // One of the two items flipped between samples.
    expect(metrics.scores.Shaky.self_consistency).toEqual({ items: 2, flip_rate: 0.5 });
  });

  it('refuses samples with temperature 0, and a score without samples is unchanged', async () => {
    await expect(load(', samples: 3, temperature: 0')).rejects.toThrow(
      /scores\[0\]\.samples: samples: N asks the model N times: set temperature above 0/,
    );
    const plain = await load('');
    expect(plain.scores[0]!.score!.fingerprint).toBe('shaky-1');
    await expect(load(', samples: 1')).rejects.toThrow(/samples/);
  });

  it('combineSamples: a tie goes to the label given first; all failed gives the first failure', () => {
    expect(
      combineSamples([
        { value: 'no', status: 'ok' },
        { value: 'yes', status: 'ok' },
      ]),
    ).toMatchObject({ value: 'no', confidence: 0.5 });
    const failed = combineSamples([
      { value: null, status: 'error', error: { message: 'first' } },
      { value: null, status: 'error', error: { message: 'second' } },
    ]);
    expect(failed).toMatchObject({ status: 'error', error: { message: 'first' } });
    // An error among answers: the confidence is over the answered samples.
    expect(
      combineSamples([
        { value: 'yes', status: 'ok' },
        { value: null, status: 'error', error: { message: 'timeout' } },
        { value: 'yes', status: 'ok' },
      ]),
    ).toMatchObject({
      value: 'yes',
      confidence: 1,
      trace: { self_consistency: { samples: ['yes', null, 'yes'] } },
    });
  });
});
