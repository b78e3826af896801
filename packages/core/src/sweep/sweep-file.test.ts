import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import { seededRandom } from '../dataset/sampling.js';
import { shuffle } from '../train/train-data.js';
import { loadSweepFile, sweepTrials, withParameters } from './sweep-file.js';
import { kFolds } from './sweep-trial.js';

const dir = mkdtempSync(join(tmpdir(), 'plexus-sweep-file-'));

async function load(text: string) {
  const path = join(dir, `sweep-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return loadSweepFile(path);
}

describe('sweep files', () => {
  it('a grid runs every combination, in file order', async () => {
    const { spec } = await load('parameters:\n  trees: [10, 20]\n  max_depth: [null, 4, 8]\n');
    const trials = sweepTrials(spec);
    expect(trials).toHaveLength(6);
    expect(trials[0]).toEqual({ trees: 10, max_depth: null });
    expect(trials[5]).toEqual({ trees: 20, max_depth: 8 });
    expect(spec).toMatchObject({ method: 'grid', metric: 'f1_macro', validation: { folds: 3 } });
  });

  it('random search is seeded: same file, same trials; ranges stay in bounds', async () => {
    const text =
      'method: random\ntrials: 12\nseed: 7\nparameters:\n  trees: { min: 10, max: 300, integer: true, log: true }\n  max_features: { min: 0.05, max: 0.5 }\n  class_weight: [none, balanced]\n';
    const first = sweepTrials((await load(text)).spec);
    expect(sweepTrials((await load(text)).spec)).toEqual(first);
    expect(first).toHaveLength(12);
    for (const trial of first) {
      expect(Number.isInteger(trial.trees)).toBe(true);
      expect(trial.trees).toBeGreaterThanOrEqual(10);
      expect(trial.trees).toBeLessThanOrEqual(300);
      expect(trial.max_features).toBeGreaterThanOrEqual(0.05);
      expect(['none', 'balanced']).toContain(trial.class_weight);
    }
    const other = sweepTrials((await load(text.replace('seed: 7', 'seed: 8'))).spec);
    expect(other).not.toEqual(first);
  });

  it('random search over lists never repeats a combination', async () => {
    const { spec } = await load(
      'method: random\ntrials: 4\nparameters:\n  trees: [1, 2]\n  min_samples_leaf: [1, 2]\n',
    );
    const keys = sweepTrials(spec).map((trial) => JSON.stringify(trial));
    expect(new Set(keys).size).toBe(4);
  });

  it('reports every problem with its line', async () => {
    const lines = async (text: string) => {
      const error = await load(text).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidConfigError);
      return (error as InvalidConfigError).problems.map(
        (problem) => `${problem.line}:${problem.path}`,
      );
    };
    expect(
      await lines(
        'metric: f2\nvalidation: { folds: 1 }\nparameters:\n  trees: { min: 5, max: 1 }\n',
      ),
    ).toEqual(['1:metric', '2:validation.folds', '4:parameters.trees']);
    // Checks across fields come once each field is valid on its own.
    expect(
      await lines(
        'method: grid\ntrials: 3\nparameters:\n  model: [a.json]\n  trees: { min: 1, max: 5 }\n',
      ),
    ).toEqual(['2:trials', '4:parameters.model', '5:parameters.trees']);
    const typo = await load('parameter:\n  trees: [1]\n').catch((caught: unknown) => caught);
    expect((typo as Error).message).toMatch(
      /unknown setting "parameter"; did you mean "parameters"/,
    );
  });

  it('sets dotted settings without touching the original', () => {
    const settings = { trees: 5, features: { word_ngrams: [1, 2], idf: true } };
    const changed = withParameters(settings, { 'features.word_ngrams': [1, 1], trees: 9 });
    expect(changed).toEqual({ trees: 9, features: { word_ngrams: [1, 1], idf: true } });
    expect(settings.features.word_ngrams).toEqual([1, 2]);
  });
});

describe('k folds', () => {
  it('puts every item in exactly one test fold, each label spread evenly', () => {
    const items = Array.from({ length: 30 }, (_, index) => ({
      id: `i${index}`,
      label: index < 21 ? 'a' : 'b',
    }));
    const folds = kFolds(items, 3, 0);
    const tested = folds.flatMap((fold) => fold.test.map((item) => item.id));
    expect(tested.sort()).toEqual(items.map((item) => item.id).sort());
    for (const fold of folds) {
      expect(fold.train.length + fold.test.length).toBe(30);
      expect(fold.test.filter((item) => item.label === 'b')).toHaveLength(3);
    }
  });

  it('folds are dealt as before the grouping stopped copying a list per item', () => {
    // The grouping was quadratic (80,000 items: 28.6 s); the folds must not move for a seed.
    const items = Array.from({ length: 500 }, (_, index) => ({
      id: `i${index}`,
      label: ['a', 'b', 'c'][(index * 7) % 3]!,
    }));
    const random = seededRandom(11);
    const groups = new Map<string, typeof items>();
    for (const item of items) groups.set(item.label, [...(groups.get(item.label) ?? []), item]);
    const expected = new Map<string, number>();
    let dealt = 0;
    for (const group of groups.values())
      for (const item of shuffle(group, random)) expected.set(item.id, dealt++ % 4);
    kFolds(items, 4, 11).forEach((fold, index) => {
      for (const item of fold.test) expect(expected.get(item.id)).toBe(index);
    });
  });
});
