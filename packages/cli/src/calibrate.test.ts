import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument } from 'yaml';
import { precisionThreshold, splitAnswers } from './calibration-fit.js';
import { withSetting } from './commands/calibrate.js';
import { runMain, writeEchoPackage } from './test-packages.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-'));

// A third-party score that answers the label and confidence written in the text ('yes 0.83').
writeEchoPackage(project);

// 200 over-confident answers: a confidence c is right with probability c^2 (seeded).
const random = seededRandom(11);
const rows = Array.from({ length: 200 }, (_, index) => {
  const confidence = Math.round((0.5 + random() * 0.5) * 100) / 100;
  const right = random() < confidence * confidence;
  return `i${index},yes ${confidence},${right ? 'yes' : 'no'}`;
});
writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  '# Echo card\nname: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo # keep this comment\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n',
);

const plexus = runMain;

describe('plexus calibrate', () => {
  it('fits on a seeded split, lowers ECE on held-out answers, and the score uses the map from then on', async () => {
    const cacheDir = join(project, 'cache');
    const result = await plexus([
      'calibrate',
      card,
      '--score',
      'Echo',
      '--target-precision',
      '0.8',
      '--cache-dir',
      cacheDir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = join(project, 'Echo.calibration.json');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject({ version: 1, score: 'Echo', map: { method: 'isotonic' } });
    expect(written.fitted).toMatchObject({ fitted_on: 140, held_out: 60, seed: 0 });
    expect(written.fitted.ece_after).toBeLessThan(written.fitted.ece_before);
    expect(result.stdout).toContain(
      'Echo: isotonic fitted on 140 answers, measured on 60 held out (seed 0)',
    );
    expect(result.stdout).toMatch(
      /precision ≥ 0.8: (confidence ≥ [0-9.]+ \(precision|no confidence threshold)/,
    );
    // The scorecard now points at the file, its comments kept.
    const yaml = readFileSync(card, 'utf8');
    expect(yaml).toContain('calibration: Echo.calibration.json');
    expect(yaml).toContain('# keep this comment');
    // Calibrated again: fitted on the raw confidences (the same map), not on calibrated ones.
    await plexus(['calibrate', card, '--score', 'Echo', '--cache-dir', cacheDir]);
    expect(JSON.parse(readFileSync(file, 'utf8')).map).toEqual(written.map);
    // An evaluation now gives calibrated confidences: metrics.json's ECE is the calibrated one.
    const run = join(project, 'run');
    expect(
      (await plexus(['evaluate', card, '--out', run, '--quiet', '--cache-dir', cacheDir])).code,
    ).toBe(0);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(metrics.scores.Echo.calibration.n).toBe(200);
    const rawMean =
      rows.reduce((sum, row) => sum + Number(row.split(' ')[1]!.split(',')[0]), 0) / 200;
    const calibratedMean =
      metrics.scores.Echo.calibration.reliability.reduce(
        (sum: number, bin: { n: number; confidence: number | null }) =>
          sum + bin.n * (bin.confidence ?? 0),
        0,
      ) / 200;
    expect(calibratedMean).toBeLessThan(rawMean);
  });

  it('names a wrong method', async () => {
    const wrong = await plexus(['calibrate', card, '--score', 'Echo', '--method', 'beta']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--method: expected isotonic or platt, got "beta"');
  });
});

describe('precisionThreshold and splitAnswers', () => {
  it('finds the lowest threshold reaching the precision (hand count)', () => {
    const answers = [
      { confidence: 0.9, correct: true },
      { confidence: 0.8, correct: true },
      { confidence: 0.8, correct: false },
      { confidence: 0.6, correct: true },
      { confidence: 0.4, correct: false },
    ];
    // >= 0.9: 1/1; >= 0.8: 2/3; >= 0.6: 3/4; >= 0.4: 3/5.
    expect(precisionThreshold(answers, 0.75)).toEqual({
      threshold: 0.6,
      precision: 0.75,
      kept: 4,
      held_out: 5,
    });
    expect(precisionThreshold(answers, 0.95)).toEqual({
      threshold: 0.9,
      precision: 1,
      kept: 1,
      held_out: 5,
    });
    expect(precisionThreshold([{ confidence: 0.9, correct: false }], 0.5)).toBeNull();
  });

  it('splits the same way for the same seed', () => {
    const answers = Array.from({ length: 20 }, (_, index) => ({
      item_id: `${index}`,
      confidence: 0.5,
      correct: true,
    }));
    const first = splitAnswers(answers, 0.3, 4);
    expect(first.heldOut).toHaveLength(6);
    expect(splitAnswers(answers, 0.3, 4)).toEqual(first);
    expect(splitAnswers(answers, 0.3, 5).heldOut).not.toEqual(first.heldOut);
  });
});

describe('withSetting', () => {
  const set = (text: string, value: string) => {
    const scores = parseDocument(text).get('scores');
    const node = isSeq(scores) ? scores.items[1] : undefined;
    if (!isMap(node)) throw new Error('no map');
    return withSetting(text, node, value);
  };

  it('adds the pair to a block map, a flow map, or replaces it, and keeps every other byte', () => {
    const block =
      'name: C # card\nscores:\n  - { name: A, class: x/y }\n  - name: B   # the forest\n    labels: [a, b]\n    model: m.json # trained\n  - { name: C, class: x/y }\n';
    expect(set(block, '"B.calibration.json"')).toBe(
      block.replace(
        'model: m.json # trained\n',
        'model: m.json # trained\n    calibration: "B.calibration.json"\n',
      ),
    );
    const flow = 'scores:\n  - { name: A, class: x/y }\n  - { name: B, class: x/y }   # flow\n';
    expect(set(flow, '"B.json"')).toBe(
      'scores:\n  - { name: A, class: x/y }\n  - { name: B, class: x/y, calibration: "B.json" }   # flow\n',
    );
    const again =
      'scores:\n  - { name: A }\n  - name: B\n    calibration: old.json # fitted in May\n    class: x/y\n';
    expect(set(again, '"new.json"')).toBe(again.replace('old.json', '"new.json"'));
  });
});
