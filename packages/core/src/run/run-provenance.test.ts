// run.json's dataset hash, taken from the bytes the run reads: with --limit the run reads only
// the start and the rest is hashed after; either way it equals the SHA-256 of the whole file.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseScorecard } from '../scorecard/scorecard-loader.js';
import { testPlugin } from '../testing/contains-score.js';
import { evaluate } from './evaluate.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-run-provenance-'));
const yaml = 'name: P\nscores:\n  - { name: Card, class: test/contains, word: card }\n';

async function card() {
  return parseScorecard(yaml, {
    file: join(folder, 'card.yaml'),
    plugins: [testPlugin],
    cacheDir: folder,
  });
}

it('hashes the whole file while a --limit run reads only its start (the rest read after)', async () => {
  const data = join(folder, 'big.csv');
  // About 1 MB: many 64 KiB chunks, of which a limited run reads the first.
  const rows = Array.from(
    { length: 20_000 },
    (_, index) => `i${index},a card ${index} ${'x'.repeat(30)},${index % 2 ? 'yes' : 'no'}`,
  );
  writeFileSync(data, `id,text,Card\n${rows.join('\n')}\n`);
  const bytes = readFileSync(data);
  const expected = createHash('sha256').update(bytes).digest('hex');
  const sampled = join(folder, 'run-sample');
  await evaluate({
    scorecard: await card(),
    data,
    outDir: sampled,
    cache: false,
    sample: { size: 50, seed: 3 },
  });
  // A sample reads every row: they are counted before sampling.
  expect(JSON.parse(readFileSync(join(sampled, 'run.json'), 'utf8')).data).toMatchObject({
    sha256: expected,
    rows: 20_000,
    gold: { Card: { labelled: 50 } },
  });
  for (const limit of [5, undefined]) {
    const outDir = join(folder, `run-${limit ?? 'all'}`);
    const summary = await evaluate({ scorecard: await card(), data, outDir, cache: false, limit });
    expect(summary.status).toBe('completed');
    const recorded = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')).data;
    expect(recorded).toMatchObject({ sha256: expected, bytes: bytes.length });
    expect(recorded.rows).toBe(limit === undefined ? 20_000 : null);
    expect(recorded.gold.Card.labelled).toBe(limit ?? 20_000);
  }
});

it('a dataset that is missing: bad input, run.json failed with the reason, the lock released', async () => {
  const outDir = join(folder, 'run-missing');
  await expect(
    evaluate({ scorecard: await card(), data: join(folder, 'missing.csv'), outDir, cache: false }),
  ).rejects.toThrow(/dataset file not found/);
  const info = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'));
  expect(info).toMatchObject({ status: 'failed', error: expect.stringContaining('not found') });
  expect(existsSync(join(outDir, 'run.lock'))).toBe(false);
});
