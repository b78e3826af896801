import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';
import { startViewer } from './view/server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-summary-ac1-pages-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

// Every gold label and answer is `spam`: AC1 (and kappa) are undefined, 0/0. The report's summary
// table and the viewer's showed a bare "—" where the score's section says why.
const data = write('data.csv', 'id,text,label\n1,free prize,spam\n2,free lunch,spam\n');
const card = write(
  'card.yaml',
  `name: One label\ndata: { path: ${data} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

/** The summary table's row of the score, as text. */
function summaryRowText(html: string, table: string): string {
  const start = html.indexOf(table);
  const body = html.slice(start, html.indexOf('</table>', start));
  return body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the summary tables of a one-label score', () => {
  it("say AC1 is undefined (one label only) where they showed '—'", async () => {
    const run = join(project, 'runs', 'one');
    expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
    const report = readFileSync(join(run, 'report.html'), 'utf8');
    // Columns: score, results, in metrics, accuracy, F1 macro, AC1, ...
    expect(summaryRowText(report, '<table class="summary">')).toContain(
      ' 1.000 undefined (one label only) 0 ',
    );
    const viewer = await startViewer({ root: join(project, 'runs'), port: 0 });
    try {
      const page = await (await fetch(new URL('/run/one', viewer.url))).text();
      expect(summaryRowText(page, '<table id="scores">')).toContain(
        ' 1.000 undefined (one label only) 0 ',
      );
    } finally {
      await viewer.close();
    }
  });
});
