// A score package whose factory creates something the engine cannot run, or whose close fails,
// through the real `plexus` CLI. Before: a maxBatchSize of NaN left `evaluate` waiting for ever,
// a BigInt fingerprint stopped it with "Do not know how to serialize a BigInt" (no score named),
// create() returning nothing passed `validate`, and a close that threw turned a completed run's
// exit 0 into 1 with the bare message "close boom".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, storedResults, workDir, writeScorePackage } from './harness.js';

/** What create() returns, by the card's `made` setting. */
const made: Record<string, string> = {
  nothing: 'undefined',
  no_do_score: `{ ...base, doScore: undefined }`,
  nan_batch: `{ ...base, maxBatchSize: NaN }`,
  bigint_fingerprint: `{ ...base, fingerprint: 10n }`,
  failing_close: `{ ...base, async close() { throw new Error('close boom'); } }`,
};

function project(kind: string): { card: string; dir: string } {
  const dir = workDir(`misbehaving-factory-${kind}`);
  const cases = Object.entries(made)
    .map(([key, value]) => `    case ${JSON.stringify(key)}: return ${value};`)
    .join('\n');
  writeScorePackage(
    dir,
    'plexus-score-made',
    `export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-made',
  factories: [{
    specificationVersion: 'v1', kind: 'made',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => {
      const base = {
        specificationVersion: 'v1', kind: 'plexus-score-made/made', name: env.name, labels: ['yes', 'no'],
        fingerprint: 'made-1', maxBatchSize: 2,
        async doScore({ items }) { return items.map(() => ({ value: 'yes', status: 'ok' })); },
      };
      switch (settings.made) {\n${cases}\n      }
    },
  }],
};
`,
  );
  writeFileSync(join(dir, 'data.csv'), 'id,text,label\n1,a,yes\n2,b,no\n3,c,yes\n');
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    `name: Made\ndata:\n  path: data.csv\nscores:\n  - name: Made\n    class: plexus-score-made/made\n    labels: [yes, no]\n    label_column: label\n    made: ${kind}\n`,
  );
  return { card, dir };
}

describe("a score package's factory that creates what cannot run", () => {
  const refused: [string, RegExp][] = [
    ['nothing', /create\(\) returned undefined, not a score/],
    ['no_do_score', /has no doScore function/],
    ['nan_batch', /maxBatchSize is NaN, not a number of items/],
    ['bigint_fingerprint', /fingerprint is 10n, not text/],
  ];
  for (const [kind, said] of refused) {
    it(`${kind}: validate and evaluate refuse it at load, naming the score, the package and the fix`, async () => {
      const { card, dir } = project(kind);
      const validated = await runCli(['validate', card]);
      expect(validated.code, validated.stderr).toBe(2);
      expect(validated.stderr).toMatch(said);
      expect(validated.stderr).toContain(
        'scores[0]: cannot create score "Made" (plexus-score-made): ',
      );
      expect(validated.stderr).toContain('a fix for plexus-score-made');
      // Refused before any run folder: a NaN batch size waited for ever (the test's timeout).
      const run = await runCli(['evaluate', card, '--out', join(dir, 'run'), '--no-cache']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(said);
    }, 60_000);
  }

  it("a close that fails is a warning naming the score: the completed run's exit stays 0", async () => {
    const { card, dir } = project('failing_close');
    const out = join(dir, 'run');
    const run = await runCli(['evaluate', card, '--out', out, '--no-cache', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'warning: score "Made" (plexus-score-made) failed to close: close boom',
    );
    // Hand count: three items, three results, all stored.
    expect(storedResults(out).map((line) => line.item)).toEqual(['1', '2', '3']);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string };
    expect(info.status).toBe('completed');
    const validated = await runCli(['validate', card, '--json']);
    expect(validated.code, validated.stderr).toBe(0);
    expect(
      (JSON.parse(validated.stdout) as { warnings: string[] }).warnings.some((line) =>
        line.includes('failed to close: close boom'),
      ),
    ).toBe(true);
  });
});
