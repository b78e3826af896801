import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

// calibrate --target-precision prints the confidence threshold to put in `confidence_below`. It
// printed 3 decimals: a Platt map's threshold 0.98749 read 0.987, a value the score never gives,
// below the one the precision was measured from.
const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-threshold-'));
const plugin = join(project, 'node_modules', 'plexus-score-echo');
mkdirSync(plugin, { recursive: true });
writeFileSync(
  join(plugin, 'package.json'),
  JSON.stringify({ name: 'plexus-score-echo', type: 'module', exports: './index.js' }),
);
// A score that answers the label and confidence written in the text ("yes 0.83").
writeFileSync(
  join(plugin, 'index.js'),
  `export const plugin = { specificationVersion: 'v1', name: 'plexus-score-echo', factories: [{
  specificationVersion: 'v1', kind: 'echo',
  settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
  create: (settings, env) => ({ specificationVersion: 'v1', kind: 'plexus-score-echo/echo', name: env.name,
    labels: ['yes', 'no'], fingerprint: 'echo-1',
    async doScore({ items }) {
      return items.map((item) => { const [value, confidence] = item.text.split(' ');
        return { value, confidence: Number(confidence), status: 'ok' }; });
    } }) }] };
`,
);
const random = seededRandom(5);
const rows = Array.from({ length: 300 }, (_, index) => {
  const confidence = Math.round((0.5 + random() * 0.5) * 100) / 100;
  return `i${index},yes ${confidence},${random() < confidence * confidence ? 'yes' : 'no'}`;
});
writeFileSync(join(project, 'data.csv'), `id,text,Echo\n${rows.join('\n')}\n`);
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  'name: Echo\ndata: { path: data.csv }\nscores:\n  - name: Echo\n    class: plexus-score-echo/echo\n    labels: [yes, no]\n',
);

async function plexus(args: string[]) {
  let stdout = '';
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: () => {},
    isTty: false,
  };
  return { code: await main(args, io), stdout };
}

describe('plexus calibrate --target-precision', () => {
  it('prints a threshold the calibrated score gives, to the last digit', async () => {
    const cacheDir = join(project, 'cache');
    const fitted = await plexus([
      'calibrate',
      card,
      '--score',
      'Echo',
      '--method',
      'platt',
      '--target-precision',
      '0.7',
      '--cache-dir',
      cacheDir,
    ]);
    expect(fitted.code).toBe(0);
    const match = /confidence ≥ ([0-9.]+) \(precision .*confidence_below: ([0-9.]+)$/m.exec(
      fitted.stdout,
    );
    expect(match, fitted.stdout).not.toBeNull();
    expect(match![2]).toBe(match![1]);
    // The score, calibrated from now on: the threshold is one of the confidences it gives.
    const run = join(project, 'run');
    expect(
      (await plexus(['evaluate', card, '--out', run, '--quiet', '--cache-dir', cacheDir])).code,
    ).toBe(0);
    const confidences = readFileSync(join(run, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { confidence: number }).confidence);
    expect(confidences).toContain(Number(match![1]));
  });
});
