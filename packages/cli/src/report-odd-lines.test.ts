import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';
import { startViewer } from './view/server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-report-odd-lines-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const data = write(
  'data.csv',
  'id,text,label\n1,free prize,spam\n2,hi mum,ham\n3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Odd lines\ndata: { path: ${data} }\nscores:\n  - { name: Spam Words, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

// Lines as an older version, another tool or a hand edit leave them: no `confidence` at all, or a
// confidence in quotes. `plexus report` died on them ("Cannot read properties of undefined
// (reading 'toFixed')", exit 1) and the viewer's pages with them.
const oddLines = [
  {
    item_id: 'old-1',
    score: 'Spam Words',
    value: 'spam',
    status: 'ok',
    label: 'ham',
    correct: false,
  },
  {
    item_id: 'old-2',
    score: 'Spam Words',
    value: 'spam',
    status: 'ok',
    label: 'ham',
    correct: false,
    confidence: '0.5',
    latency_ms: '12',
  },
];

describe('a run folder with result lines that miss or misspell a number', () => {
  it('gets its report and viewer pages, the odd numbers shown as a dash', async () => {
    const run = join(project, 'runs', 'odd');
    expect((await runMain(['evaluate', card, '--out', run, '--no-cache', '--quiet'])).code).toBe(0);
    appendFileSync(
      join(run, 'results.jsonl'),
      oddLines.map((line) => `${JSON.stringify(line)}\n`).join(''),
    );
    const report = await runMain(['report', run]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    for (const id of ['old-1', 'old-2']) {
      const row = html.slice(html.indexOf(`data-item="${id}"`));
      // The confidence cell: a dash, not "undefined", "0.5" as text nor a crash.
      expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/<td class="number">—<\/td>/);
    }
    const viewer = await startViewer({ root: join(project, 'runs'), port: 0 });
    try {
      for (const path of ['/run/odd', '/run/odd/item/old-1', '/run/odd/item/old-2']) {
        const response = await fetch(new URL(path, viewer.url));
        expect(response.status, path).toBe(200);
      }
    } finally {
      await viewer.close();
    }
  });
});
