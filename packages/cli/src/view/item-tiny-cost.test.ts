import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain, writeScorePackage } from '../test-packages.js';
import { startViewer } from './server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-item-tiny-cost-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// One call of a cheap model on a short text costs less than a millionth of a dollar: the item
// page printed it to 6 decimals, "$0.000000", the same as nothing spent.
writeScorePackage(
  project,
  'plexus-score-cheap',
  `export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-cheap',
  factories: [{
    specificationVersion: 'v1', kind: 'cheap',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-cheap/cheap', name: env.name,
      labels: ['yes', 'no'], fingerprint: 'cheap-1',
      async doScore({ items }) {
        return items.map((item) => ({
          value: 'yes', status: 'ok',
          usage: { calls: 1, inputTokens: 3, outputTokens: 1, costUsd: item.text === 'paid call' ? 4e-7 : 0 },
        }));
      },
    }),
  }],
};
`,
);
const data = write('data.csv', 'id,text\npaid,paid call\nfree,free call\n');
const card = write(
  'card.yaml',
  `name: Cheap\ndata: { path: ${data} }\nscores:\n  - { name: Cheap, class: plexus-score-cheap/cheap, labels: [yes, no] }\n`,
);

describe("the viewer's item page", () => {
  it('says a cost below a millionth of a dollar is one, not $0.000000', async () => {
    const run = join(project, 'runs', 'cheap');
    expect((await runMain(['evaluate', card, '--out', run, '--no-cache', '--quiet'])).code).toBe(0);
    const viewer = await startViewer({ root: join(project, 'runs'), port: 0 });
    try {
      const paid = await (await fetch(new URL('/run/cheap/item/paid', viewer.url))).text();
      const cost = paid.slice(paid.indexOf('<dt>cost'), paid.indexOf('<dt>LLM calls'));
      expect(cost).toBe('<dt>cost</dt><dd>&lt;$0.000001</dd>');
      expect(paid).not.toContain('$0.000000');
      // Nothing spent is still $0.000000.
      const free = await (await fetch(new URL('/run/cheap/item/free', viewer.url))).text();
      expect(free).toContain('$0.000000');
    } finally {
      await viewer.close();
    }
  });
});
