import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const sms = fileURLToPath(
  new URL('../../classifier-forest/fixtures/sms-1200.csv', import.meta.url),
);

function run(cwd: string, args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PLEXUS_CACHE_DIR: join(cwd, 'cache') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('plexus train saves the model where the scorecard points, then evaluate uses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-train-'));
  writeFileSync(
    join(dir, 'spam.yaml'),
    `name: Spam\nscores:\n  - name: spam\n    class: forest/random-forest\n    label_column: label\n    labels: [spam, ham]\n    model: models/spam.json\n    trees: 20\n`,
  );
  const trained = run(dir, ['train', 'spam.yaml', '--data', sms, '--seed', '3', '--quiet']);
  expect(trained.stderr).toBe('');
  expect(trained.code).toBe(0);
  expect(trained.stdout).toMatch(/spam: trained on 960 items, tested on 240/);
  expect(trained.stdout).toMatch(
    /Held-out test metrics:\nscore +n +accuracy[^\n]*\n[─ ]+\nspam +240 +0\.9\d\d/,
  );
  const model = JSON.parse(readFileSync(join(dir, 'models/spam.json'), 'utf8'));
  expect(model).toMatchObject({ format: 'plexus-forest', version: 1, labels: ['spam', 'ham'] });
  const evaluated = run(dir, ['evaluate', 'spam.yaml', '--data', sms, '--limit', '100', '--json']);
  expect(evaluated.code).toBe(0);
  expect(JSON.parse(evaluated.stdout).scores.spam.n).toBe(100);

  const wrong = run(dir, ['train', 'spam.yaml', '--data', sms, '--score', 'nope']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('no score named "nope"');
});
