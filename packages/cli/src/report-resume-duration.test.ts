import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';
import { startViewer } from './view/server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-resume-duration-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const data = write(
  'data.csv',
  'id,text,label\n1,free prize,spam\n2,hi mum,ham\n3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Resumed\ndata: { path: ${data} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

// A resumed run's duration_s is its last resume's (evaluate says "this resume"); the report and
// the viewer printed it beside the run's first start as "duration: 0.0 s", as if the whole run
// had taken that long.
describe('the duration of a resumed run', () => {
  it("says it is the last resume's, and how long the run took from its start", async () => {
    const run = join(project, 'runs', 'resumed');
    expect((await runMain(['evaluate', card, '--out', run, '--limit', '1', '--quiet'])).code).toBe(
      0,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const resumed = await runMain(['evaluate', card, '--resume', run, '--limit', '3', '--quiet']);
    expect(resumed.code).toBe(0);
    const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    const span = (Date.parse(info.ended_at) - Date.parse(info.started_at)) / 1000;
    // The premise: run.json's duration is the resume's, well below the time from start to end.
    expect(span - info.duration_s).toBeGreaterThan(1);
    const said = `(the last resume; ${span.toFixed(1)} s from the start of the run to its end)`;
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain(said);
    const viewer = await startViewer({ root: join(project, 'runs'), port: 0 });
    try {
      const page = await (await fetch(new URL('/run/resumed', viewer.url))).text();
      expect(page).toContain(said);
    } finally {
      await viewer.close();
    }
  });
});
