import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { writeScorePackage } from './test-packages.js';

// A score package's fingerprint is what its author says ("answers-1"), however its code changes.
// A fix in the code (no version bump) then hid behind the outputs cached before it: the second
// run printed the old, wrong answers. Each run is its own process, as a user runs them (Node
// keeps a module it imported once, so an in-process run would not see the new code).
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'plexus-package-code-'));

/** The package answering `answer` for every item, with the same fingerprint whatever the answer. */
function writeAnswerPackage(answer: string): void {
  writeScorePackage(
    project,
    'plexus-score-answers',
    `export const plugin = {
  specificationVersion: 'v1',
  name: 'plexus-score-answers',
  factories: [{
    specificationVersion: 'v1',
    kind: 'fixed',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-answers/fixed', name: env.name,
      labels: ['yes', 'no'], fingerprint: 'answers-1',
      async doScore({ items }) {
        return items.map(() => ({ value: '${answer}', status: 'ok' }));
      },
    }),
  }],
};
`,
  );
}

writeFileSync(join(project, 'data.csv'), 'id,text,Fixed\na,one,yes\nb,two,yes\nc,three,yes\n');
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  'name: Fixed\ndata: { path: data.csv }\nscores:\n  - name: Fixed\n    class: plexus-score-answers/fixed\n    labels: [yes, no]\n',
);
const cacheDir = join(project, 'cache');

/** One evaluate run as its own process: its summary, and each result's value and `cached`. */
function evaluate(out: string) {
  const run = spawnSync(
    process.execPath,
    [bin, 'evaluate', card, '--out', join(project, out), '--cache-dir', cacheDir, '--json'],
    { encoding: 'utf8', cwd: project },
  );
  expect(run.status, run.stderr).toBe(0);
  const results = readFileSync(join(project, out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { value: string; cached: boolean });
  return { summary: JSON.parse(run.stdout), results };
}

it("a score package's changed code is run again, not hidden by outputs cached from the old code", () => {
  writeAnswerPackage('no');
  const first = evaluate('first');
  expect(first.results.map((result) => [result.value, result.cached])).toEqual([
    ['no', false],
    ['no', false],
    ['no', false],
  ]);
  // The same code again: every output from the cache.
  expect(evaluate('again').summary.cacheHits).toBe(3);
  // The code fixed, its fingerprint and version unchanged: scored by the new code.
  writeAnswerPackage('yes');
  const fixed = evaluate('fixed');
  expect(fixed.summary.cacheHits).toBe(0);
  expect(fixed.results.map((result) => [result.value, result.cached])).toEqual([
    ['yes', false],
    ['yes', false],
    ['yes', false],
  ]);
  expect(fixed.summary.scores.Fixed.accuracy).toBe(1);
  // run.json's fingerprint is another one: a resume of `first` scores the score again.
  const fingerprint = (out: string) =>
    JSON.parse(readFileSync(join(project, out, 'run.json'), 'utf8')).fingerprints.Fixed;
  expect(fingerprint('fixed')).not.toBe(fingerprint('first'));
  expect(fingerprint('again')).toBe(fingerprint('first'));
});
