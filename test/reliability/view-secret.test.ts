// plexus view shows an item's whole text from the dataset when the run folder kept only its first
// 2,000 characters. Run folders are redacted; datasets are not: a secret past those characters
// was served as it is. The real CLI: a run with the secret in the environment, then the viewer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli, workDir } from './harness.js';

const secret = 'sk-view-secret-0123456789abcdef';
const dir = workDir('view-secret');
const env = { VIEW_API_KEY: secret, MLFLOW_TRACKING_URI: '' };
mkdirSync(join(dir, 'runs'));
const viewer = startCli(['view', join(dir, 'runs'), '--port', '0', '--no-open'], env);
let printed = '';
viewer.child.stdout!.on('data', (chunk: Buffer) => {
  printed += chunk.toString();
});
afterAll(() => {
  viewer.child.kill('SIGTERM');
});

/** The longest piece of the secret (from its start) found in `text`, in characters. */
function longestPiece(text: string): number {
  let longest = 0;
  for (let length = 1; length <= secret.length; length += 1)
    if (text.includes(secret.slice(0, length))) longest = length;
  return longest;
}

async function viewerUrl(): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (!/http:\/\/127\.0\.0\.1:\d+\//.test(printed) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return /http:\/\/127\.0\.0\.1:\d+\//.exec(printed)![0];
}

describe('plexus view and a secret in the dataset', () => {
  it('shows no piece of it on the item page, where the whole text comes from the dataset', async () => {
    const url = await viewerUrl();
    const text = `free ${'a'.repeat(2100)} ${secret} ${'b'.repeat(50)}`;
    writeFileSync(join(dir, 'items.csv'), `id,text,label\nlong,${text},ham\n`);
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      'name: Secret\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free] }\n',
    );
    const ran = await runCli(
      ['evaluate', card, '--data', join(dir, 'items.csv'), '--out', join(dir, 'runs', 'r')],
      env,
    );
    expect(ran.code, ran.stderr).toBe(0);
    const item = await (await fetch(new URL('/run/r/item/long', url))).text();
    // The premise: the page shows the whole text (its end, past the 2,000 characters stored).
    expect(item).toContain('b'.repeat(50));
    expect(item).toContain('[redacted]');
    expect(longestPiece(item)).toBeLessThan(4);
    const run = await (await fetch(new URL('/run/r', url))).text();
    expect(longestPiece(run)).toBeLessThan(4);
  });
});
