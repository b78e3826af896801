import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeScoreConformance } from '@plexus/core/testing';
import { expect, it } from 'vitest';
import { readingEase } from './flesch.js';
import { readabilityFactory } from './readability-score.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const cli = createRequire(import.meta.url)
  .resolve('@plexus/cli/package.json')
  .replace('package.json', 'dist/bin.js');

describeScoreConformance('plexus-score-readability/readability', {
  factory: readabilityFactory,
  settings: {},
  otherSettings: { min_ease: 30 },
  invalidSettings: { min_eas: 30 },
  labels: ['easy', 'hard'],
});

it('scores plain and dense English as expected', () => {
  expect(readingEase('The cat sat on the mat.')!.score).toBeGreaterThan(100);
  expect(
    readingEase('Institutional considerations necessitate comprehensive documentation.')!.score,
  ).toBeLessThan(0);
});

it('is found by its package name from a scorecard and evaluated by the plexus CLI', () => {
  const summary = JSON.parse(
    execFileSync(
      process.execPath,
      [
        cli,
        'evaluate',
        join(here, 'scorecard.yaml'),
        '--json',
        '--no-cache',
        '--tracker',
        'local',
        '--out',
        join(mkdtempSync(join(tmpdir(), 'plexus-readability-')), 'run'),
      ],
      {
        cwd: here,
        encoding: 'utf8',
      },
    ),
  );
  expect(summary.scores.Readable).toMatchObject({ n: 5, accuracy: 1 });
});
