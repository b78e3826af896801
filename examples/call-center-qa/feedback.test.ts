// The feedback loop on this example (README, "Reviewers, calibration and a review queue"): the
// generated multi-reviewer file, its agreement table, the calibrated forest and a review queue.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 'plexus-cc-feedback-'));
const db = join(work, 'feedback.sqlite');

function plexus(args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], { cwd: here, encoding: 'utf8' });
}

describe('call-center-qa: reviewers, calibration, review queue', () => {
  it('the feedback file is what scripts/make-feedback.mjs generates', () => {
    const before = readFileSync(join(here, 'data/feedback.csv'), 'utf8');
    execFileSync(process.execPath, [join(here, 'scripts/make-feedback.mjs')], { cwd: here });
    expect(readFileSync(join(here, 'data/feedback.csv'), 'utf8')).toBe(before);
  });

  it('imports the reviews and prints the agreement the README shows', () => {
    expect(plexus(['feedback', 'import', 'data/feedback.csv', '--feedback-db', db])).toBe(
      `176 reviews: 176 added, 0 already there, 0 changed (${db})\n`,
    );
    const run = join(work, 'run');
    plexus([
      'evaluate',
      'scorecard.yaml',
      '--score',
      'Greeting',
      '--score',
      'Intent Forest',
      '--score',
      'Intent ONNX',
      '--out',
      run,
      '--quiet',
    ]);
    const report = JSON.parse(
      plexus(['feedback', 'agreement', '--run', run, '--feedback-db', db, '--json']),
    );
    const intent = report.scores['Intent Forest'];
    expect(intent).toMatchObject({
      items: 41,
      reviewers: 3,
      reviews: 88,
      items_with_two_or_more: 33,
      majority_ties: 5,
    });
    expect(intent.krippendorff_alpha).toBeCloseTo(0.674, 3);
    expect(intent.fleiss_kappa).toBeCloseTo(0.686, 3);
    expect(intent.model_vs_majority).toMatchObject({ n: 36 });
    expect(intent.model_vs_majority.accuracy).toBeCloseTo(35 / 36, 12);
    // Greeting: nearly every call is "yes": kappa and alpha fall below 0 while AC1 stays high.
    const greeting = report.scores.Greeting;
    expect(greeting.krippendorff_alpha).toBeLessThan(0);
    expect(greeting.human_ceiling.gwet_ac1).toBeGreaterThan(0.7);
    // The forest is calibrated (calibration: Intent-Forest.calibration.json); ONNX is not.
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(metrics.scores['Intent Forest'].calibration.ece).toBe(0);
    expect(metrics.scores['Intent ONNX'].calibration.ece).toBeCloseTo(0.238, 3);
    const queue = join(work, 'review.csv');
    plexus(['review', 'queue', '--run', run, '--score', 'Intent ONNX', '--n', '5', '--out', queue]);
    const rows = readFileSync(queue, 'utf8')
      .split('\n')
      .filter((line) => /^[0-9a-f]{16},Intent ONNX,/.test(line));
    expect(rows.map((row) => row.split(',')[0])).toEqual([
      '0bf2b746d42b4f84',
      '08f360b3f3b844ef',
      '0bbbedb40f224e9a',
      '035edd1d09c1433e',
      '0b713578170540c2',
    ]);
  });
});
