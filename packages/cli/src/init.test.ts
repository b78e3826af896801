import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageNameFor } from './commands/init.js';
import { runMain } from './test-packages.js';

/** Runs `plexus` in this process; its exit code and what it printed. */
const plexus = (...args: string[]) => runMain(args);

function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(folder, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe('plexus init', () => {
  it('rules: validate and evaluate pass on what it writes, and it never overwrites', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'plexus-init-')), 'checks');
    const init = await plexus('init', folder);
    expect(init.code, init.stderr).toBe(0);
    expect(filesUnder(folder).sort()).toEqual(['README.md', 'data/examples.csv', 'scorecard.yaml']);
    const card = join(folder, 'scorecard.yaml');
    expect(await plexus('validate', card, '--quiet')).toMatchObject({ code: 0, stderr: '' });
    const evaluated = await plexus(
      'evaluate',
      card,
      '--json',
      '--no-cache',
      '--out',
      join(folder, 'run'),
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const scores = JSON.parse(evaluated.stdout).scores;
    // Eight messages labelled by hand: refund 4 yes / 4 no, order 4 / 4, billing 3 / 5.
    expect(scores['Refund Request']).toMatchObject({
      n: 8,
      accuracy: 1,
      support: { yes: 4, no: 4 },
    });
    expect(scores['Mentions Order']).toMatchObject({
      n: 8,
      accuracy: 1,
      support: { yes: 4, no: 4 },
    });
    expect(scores['Needs Billing Team']).toMatchObject({
      n: 8,
      accuracy: 1,
      support: { yes: 3, no: 5 },
    });

    const again = await plexus('init', folder);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      'plexus init would overwrite README.md, data/examples.csv, scorecard.yaml: choose a new or empty folder',
    );
  });

  it('custom-score: a package named after its folder, with its .gitignore and no placeholder left', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'plexus-init-')), 'Tone Check');
    expect((await plexus('init', folder, '--template', 'custom-score')).code).toBe(0);
    const files = filesUnder(folder);
    expect(files).toContain('.gitignore');
    expect(files).toContain('src/word-count.test.ts');
    for (const file of files)
      expect(readFileSync(join(folder, file), 'utf8')).not.toContain('__NAME__');
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('plexus-tone-check');
    expect(manifest.devDependencies.typescript).toMatch(/^\d+\.\d+\.\d+$/); // pinned
    expect(readFileSync(join(folder, 'scorecard.yaml'), 'utf8')).toContain(
      'class: plexus-tone-check/word-count',
    );
    const named = join(mkdtempSync(join(tmpdir(), 'plexus-init-')), 'x');
    expect(
      (await plexus('init', named, '--template', 'custom-score', '--name', '@acme/plexus-x')).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(named, 'package.json'), 'utf8')).name).toBe(
      '@acme/plexus-x',
    );
  });

  it('llm --no-fetch: writes the scorecard and the fetch script, fetches nothing', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'plexus-init-')), 'llm');
    const init = await plexus('init', folder, '--template', 'llm', '--no-fetch');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toBe('');
    expect(existsSync(join(folder, 'fetch-model.sh'))).toBe(true);
    expect(existsSync(join(folder, 'models'))).toBe(false);
    expect(readFileSync(join(folder, 'scorecard.yaml'), 'utf8')).toContain(
      'model: models/gemma-3-270m-q4_k_m.gguf',
    );
  });

  it('refuses an unknown template, naming the choices', async () => {
    const result = await plexus('init', tmpdir(), '--template', 'forest');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Allowed choices are rules, llm, custom-score');
  });

  it('names packages after their folder', () => {
    expect(packageNameFor('/tmp/My Score')).toBe('plexus-my-score');
    expect(packageNameFor('/tmp/plexus-tone')).toBe('plexus-tone');
    expect(packageNameFor('/tmp/...')).toBe('plexus-score');
  });
});
