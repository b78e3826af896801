import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidConfigError, loadScorecard, train } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const fixture = fileURLToPath(new URL('../fixtures/sms-1200.csv', import.meta.url));

function scorecardIn(dir: string, score: Record<string, unknown> = {}): string {
  const path = join(dir, 'spam.yaml');
  const extra = Object.entries(score)
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`)
    .join('\n');
  writeFileSync(
    path,
    `name: Spam\ndata:\n  path: ${JSON.stringify(fixture)}\nscores:\n  - name: label\n    class: forest/random-forest\n    labels: [spam, ham]\n    model: models/spam.json\n    trees: 30\n${extra}\n`,
  );
  return path;
}

async function trainIn(
  dir: string,
  options: { seed?: number; score?: Record<string, unknown> } = {},
) {
  const path = scorecardIn(dir, options.score);
  const card = await loadScorecard(path, { create: false, plugins: [plugin] });
  const [trained] = await train({ scorecard: card, seed: options.seed ?? 0 });
  return { path, trained: trained! };
}

describe('forest/random-forest', () => {
  it('trains on gold labels, measures the held-out split and scores with probabilities', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-forest-'));
    const { path, trained } = await trainIn(dir);
    expect(trained.trainItems + trained.testItems).toBe(1200);
    expect(trained.testItems).toBe(240);
    expect(trained.metrics!.accuracy).toBeGreaterThan(0.9);
    expect(trained.modelPath).toBe(join(dir, 'models/spam.json'));
    const card = await loadScorecard(path, { plugins: [plugin] });
    const score = card.scores[0]!.score!;
    const outputs = await score.doScore({
      items: [
        {
          id: 'a',
          text: 'WINNER!! You have won a FREE prize, call now to claim',
          metadata: {},
          results: {},
        },
        { id: 'b', text: 'ok see you at home later', metadata: {}, results: {} },
      ],
      signal: new AbortController().signal,
      context: { scorecard: 'Spam' },
    });
    expect(outputs.map((output) => output.value)).toEqual(['spam', 'ham']);
    for (const output of outputs) {
      const probabilities = Object.values(output.probabilities!);
      expect(probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
      expect(output.confidence).toBe(output.probabilities![output.value!]);
      expect(output.explanation).toMatch(/most influential: ".+" \((present|absent)\)/);
    }
  });

  it('gives the same model file, byte for byte, for the same seed and data', async () => {
    const first = await trainIn(mkdtempSync(join(tmpdir(), 'plexus-forest-')));
    const second = await trainIn(mkdtempSync(join(tmpdir(), 'plexus-forest-')));
    const third = await trainIn(mkdtempSync(join(tmpdir(), 'plexus-forest-')), {
      score: { seed: 7 },
    });
    const bytes = (trained: { modelPath: string }) => readFileSync(trained.modelPath);
    expect(bytes(first.trained).equals(bytes(second.trained))).toBe(true);
    expect(bytes(first.trained).equals(bytes(third.trained))).toBe(false);
  });

  it('refuses truncated, corrupted and mislabelled model files at load, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-forest-'));
    const { path, trained } = await trainIn(dir);
    const text = readFileSync(trained.modelPath, 'utf8');
    const loadError = async () =>
      loadScorecard(path, { plugins: [plugin] }).then(
        () => undefined,
        (error: unknown) => error,
      );
    writeFileSync(trained.modelPath, text.slice(0, text.length / 2));
    const error = await loadError();
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(String(error)).toMatch(
      /spam\.yaml:\d+:\d+: .*spam\.json is not valid JSON .*truncated.*plexus train/,
    );
    writeFileSync(trained.modelPath, text.replace('"threshold":[', '"threshold":["x",'));
    expect(String(await loadError())).toMatch(/not a plexus-forest v1 model: trees\.0\.threshold/);
    writeFileSync(trained.modelPath, text.replace('"left":[1', '"left":[0'));
    expect(String(await loadError())).toMatch(/tree 0: node 0 has child 0 out of range/);
    writeFileSync(
      trained.modelPath,
      text.replace('"labels":["spam","ham"]', '"labels":["spam","eggs"]'),
    );
    expect(String(await loadError())).toMatch(
      /trained for labels \[spam, eggs\] but the score declares \[spam, ham\]/,
    );
    writeFileSync(trained.modelPath, '');
    expect(String(await loadError())).toMatch(/not valid JSON/);
  });

  it('applies a threshold to the positive label of a binary score', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-forest-'));
    const { path } = await trainIn(dir);
    const spamCount = async (threshold: number) => {
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(/ {4}threshold: .*\n/, '') +
          `    threshold: ${threshold}\n`,
      );
      const card = await loadScorecard(path, { plugins: [plugin] });
      const rows = readFileSync(fixture, 'utf8').split('\n').slice(1, 201);
      const outputs = await card.scores[0]!.score!.doScore({
        items: rows.map((text, index) => ({ id: String(index), text, metadata: {}, results: {} })),
        signal: new AbortController().signal,
        context: { scorecard: 'Spam' },
      });
      return outputs.filter((output) => output.value === 'spam').length;
    };
    expect(await spamCount(0.1)).toBeGreaterThan(await spamCount(0.9));
  });

  it('uses numeric metadata fields and reports items that lack them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-forest-'));
    const rows = ['id,text,duration_seconds,long_call'];
    for (let index = 0; index < 200; index += 1) {
      const duration = (index * 37) % 900;
      rows.push(`c${index},call ${index},${duration},${duration > 600 ? 'yes' : 'no'}`);
    }
    rows.push('c-missing,call,,no');
    writeFileSync(join(dir, 'calls.csv'), rows.join('\n'));
    writeFileSync(
      join(dir, 'calls.yaml'),
      'name: Calls\ndata:\n  path: calls.csv\nscores:\n  - name: long_call\n    class: forest/random-forest\n    labels: [yes, no]\n    model: long.json\n    trees: 10\n    features:\n      text: false\n      numeric_fields: [duration_seconds]\n',
    );
    const card = await loadScorecard(join(dir, 'calls.yaml'), { create: false, plugins: [plugin] });
    const [trained] = await train({ scorecard: card, testFraction: 0.25 });
    // The item without the field is reported: left out of training, or an error on the test split.
    const reported = trained!.problems.length + trained!.metrics!.n_errors;
    expect(reported).toBe(1);
    for (const problem of trained!.problems)
      expect(problem).toEqual({
        id: 'c-missing',
        message: 'metadata field "duration_seconds" is missing',
      });
    expect(trained!.metrics!.accuracy).toBeGreaterThan(0.95);
    const loaded = await loadScorecard(join(dir, 'calls.yaml'), { plugins: [plugin] });
    const outputs = await loaded.scores[0]!.score!.doScore({
      items: [
        { id: 'x', text: '', metadata: { duration_seconds: '720' }, results: {} },
        { id: 'y', text: '', metadata: {}, results: {} },
      ],
      signal: new AbortController().signal,
      context: { scorecard: 'Calls' },
    });
    expect(outputs[0]).toMatchObject({ value: 'yes', status: 'ok' });
    expect(outputs[0]!.explanation).toContain('duration_seconds = 720');
    expect(outputs[1]).toMatchObject({
      value: null,
      status: 'error',
      error: { code: 'missing_feature' },
    });
  });

  it('says how to train a model that does not exist yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-forest-'));
    await expect(loadScorecard(scorecardIn(dir), { plugins: [plugin] })).rejects.toThrow(
      /spam\.json not found; train it with: plexus train <scorecard> --data FILE --score "label"/,
    );
  });
});
