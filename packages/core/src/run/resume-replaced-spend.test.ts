import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { definePlugin, defineScoreFactory } from '../spec/score-spec.js';
import { evaluate } from './evaluate.js';
import { storedLines } from './result-line-fixture.js';

// A resume with --retry-errors scores the failed items again, and the failed attempts were paid:
// metrics.json said $0.004 and 4 calls for a run that paid $0.044 and 8 (their lines were dropped,
// and what they cost with them).
const state = { failing: new Set<string>() };
const paying = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'paying',
  settingsSchema: z.object({ version: z.number().default(1) }).strict(),
  outputLabels: () => ['yes', 'no'],
  create: (settings, env) => ({
    specificationVersion: 'v1',
    kind: 'test/paying',
    name: env.name,
    fingerprint: `paying ${settings.version}`,
    // Every call pays: $0.001 for an answer, $0.01 for a failure (its prompt was longer).
    doScore: async ({ items }) =>
      items.map((item) =>
        state.failing.has(item.id)
          ? {
              value: null,
              status: 'error' as const,
              error: { message: 'the endpoint answered 500', retryable: true },
              usage: { calls: 1, costUsd: 0.01, inputTokens: 50, outputTokens: 0 },
            }
          : {
              value: 'yes',
              status: 'ok' as const,
              usage: { calls: 1, costUsd: 0.001, inputTokens: 5, outputTokens: 1 },
            },
      ),
  }),
});
const plugins = [definePlugin({ specificationVersion: 'v1', name: 'test', factories: [paying] })];

const folder = mkdtempSync(join(tmpdir(), 'plexus-replaced-spend-'));
const data = join(folder, 'data.csv');
writeFileSync(data, 'id,text,Pays\n1,a,yes\n2,b,yes\n3,c,no\n4,d,yes\n');
const file = join(folder, 'card.yaml');
writeFileSync(file, 'name: Paid\nscores:\n  - { name: Pays, class: test/paying }\n');
const card = () => parseScorecard(readFileSync(file, 'utf8'), { file, plugins, cacheDir: folder });
const costOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).cost;

it("keeps what retried errors paid in the run totals and the score's, resume after resume", async () => {
  const run = join(folder, 'run');
  state.failing = new Set(['1', '2']);
  await evaluate({ scorecard: await card(), data, outDir: run, cache: false });
  // Paid so far, by hand: 2 answers (2 x $0.001) and 2 failures (2 x $0.01), 4 calls.
  expect(costOf(run)).toMatchObject({ usd: 0.022, llm_calls: 4, input_tokens: 110 });
  await evaluate({
    scorecard: await card(),
    data,
    resumeDir: run,
    retryErrors: true,
    cache: false,
  });
  // 2 more failures: $0.042, 6 calls, 2 results replaced.
  expect(costOf(run)).toMatchObject({ usd: 0.042, llm_calls: 6, replaced_results: 2 });
  state.failing = new Set();
  const summary = await evaluate({
    scorecard: await card(),
    data,
    resumeDir: run,
    retryErrors: true,
    cache: false,
  });
  // 2 answers at last: $0.044 and 8 calls paid in all, 4 results replaced; the results are 4 answers.
  expect(summary).toMatchObject({ results: 4, errors: 0, llmCalls: 8, replacedResults: 4 });
  expect(summary.costUsd).toBeCloseTo(0.044, 12);
  const cost = costOf(run);
  expect(cost).toMatchObject({ llm_calls: 8, input_tokens: 5 * 4 + 50 * 4, replaced_results: 4 });
  expect(cost.usd).toBeCloseTo(0.044, 12);
  const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
  expect(metrics.scores.Pays).toMatchObject({ n: 4, llm_calls: 8 });
  expect(storedLines(run).map((line) => line.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  // A resume with nothing left to do counts each replaced result once, as before it.
  await evaluate({ scorecard: await card(), data, resumeDir: run, cache: false });
  expect(costOf(run)).toMatchObject({ llm_calls: 8, replaced_results: 4 });
});

it('says which score changed since its results were written, and keeps what they paid', async () => {
  const run = join(folder, 'changed');
  state.failing = new Set();
  await evaluate({ scorecard: await card(), data, outDir: run, cache: false });
  writeFileSync(file, 'name: Paid\nscores:\n  - { name: Pays, class: test/paying, version: 2 }\n');
  const warnings: string[] = [];
  const summary = await evaluate({
    scorecard: await card(),
    data,
    resumeDir: run,
    cache: false,
    onWarning: (warning) => warnings.push(warning),
  });
  expect(warnings).toEqual([
    'score "Pays" changed since its 4 stored results were written (its settings, prompt, model or package): they are scored again with the score as it is now; what they paid stays in the run\'s cost (replaced.jsonl)',
  ]);
  // 4 answers of each version, $0.001 each: $0.008 and 8 calls, 4 results replaced.
  expect(summary).toMatchObject({ results: 4, llmCalls: 8, replacedResults: 4 });
  expect(summary.costUsd).toBeCloseTo(0.008, 12);
});

describe('a resume that stopped while it replaced results', () => {
  const failedTwice = async (name: string) => {
    writeFileSync(file, 'name: Paid\nscores:\n  - { name: Pays, class: test/paying }\n');
    const run = join(folder, name);
    state.failing = new Set(['1', '2']);
    await evaluate({ scorecard: await card(), data, outDir: run, cache: false });
    state.failing = new Set();
    const lines = readFileSync(join(run, 'results.jsonl'), 'utf8').trim().split('\n');
    const failed = lines.filter((line) => line.includes('"status":"error"'));
    expect(failed).toHaveLength(2);
    return { run, lines, failed };
  };

  it('before its rewrite was in place: the staged lines are still results, counted once', async () => {
    // A resume that failed writing (a full disk: EFBIG) after staging what it replaced.
    const { run, failed } = await failedTwice('stopped-before');
    writeFileSync(join(run, 'results.jsonl.resume'), 'a rewrite cut short\n');
    writeFileSync(join(run, 'replaced.jsonl.resume'), `${failed.join('\n')}\n`);
    const summary = await evaluate({
      scorecard: await card(),
      data,
      resumeDir: run,
      retryErrors: true,
      cache: false,
    });
    // By hand: 4 calls paid ($0.022), 2 more answers ($0.002): 6 calls, 2 replaced (it said 4).
    expect(summary).toMatchObject({ results: 4, errors: 0, llmCalls: 6, replacedResults: 2 });
    expect(summary.costUsd).toBeCloseTo(0.024, 12);
  });

  it('after its rewrite was in place: the staged lines are added', async () => {
    const { run, lines, failed } = await failedTwice('stopped-after');
    const kept = lines.filter((line) => !failed.includes(line));
    writeFileSync(join(run, 'results.jsonl'), `${kept.join('\n')}\n`);
    writeFileSync(join(run, 'replaced.jsonl.resume'), `${failed.join('\n')}\n`);
    const summary = await evaluate({ scorecard: await card(), data, resumeDir: run, cache: false });
    // By hand: the 2 failed calls stay paid, the 2 items are answered now: 6 calls, 2 replaced.
    expect(summary).toMatchObject({ results: 4, errors: 0, llmCalls: 6, replacedResults: 2 });
    expect(summary.costUsd).toBeCloseTo(0.024, 12);
  });
});
