import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';
import { startViewer } from './view/server.js';

const project = mkdtempSync(join(tmpdir(), 'plexus-odd-metrics-'));
const write = fileWriter(project);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const data = write(
  'data.csv',
  'id,text,label\n1,free prize,spam\n2,hi mum,ham\n3,free lunch,ham\n',
);
const card = write(
  'card.yaml',
  `name: Odd metrics\ndata: { path: ${data} }\nscores:\n  - { name: Spam Words, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

// metrics.json files that are JSON but not metrics: another tool's file, a hand edit. One of them
// made `plexus runs` and the viewer's run list fail whole ("Cannot convert undefined or null to
// object"), hiding every good run, and `plexus report` exit 1 with that message.
const oddFiles: Record<string, string> = {
  empty: '{}',
  'null-scores': '{"scores": null}',
  'null-score': '{"scores": {"Spam Words": null}}',
  list: '[]',
};

describe('run folders whose metrics.json is not metrics', () => {
  it('are listed beside the good ones, their pages shown, and the report names the file', async () => {
    const runs = join(project, 'runs');
    expect((await runMain(['evaluate', card, '--out', join(runs, 'good'), '--quiet'])).code).toBe(
      0,
    );
    for (const [name, text] of Object.entries(oddFiles)) {
      cpSync(join(runs, 'good'), join(runs, name), { recursive: true });
      writeFileSync(join(runs, name, 'metrics.json'), text);
    }
    const listed = await runMain(['runs', runs]);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    // The good run keeps its headline (2 of 3 right: "free lunch" is ham); the others have none.
    expect(listed.stdout).toMatch(/good .*Spam Words: accuracy 0\.667/);
    for (const name of Object.keys(oddFiles))
      expect(listed.stdout).toMatch(new RegExp(`${name} .*no metrics\\.json`));

    const viewer = await startViewer({ root: runs, port: 0 });
    try {
      const list = await fetch(new URL('/', viewer.url));
      expect(list.status).toBe(200);
      for (const name of Object.keys(oddFiles)) {
        const page = await fetch(new URL(`/run/${name}`, viewer.url));
        expect(page.status, name).toBe(200);
        // Computed from its results, as for a run without metrics.json.
        expect(await page.text()).toContain('0.667');
      }
    } finally {
      await viewer.close();
    }

    for (const name of Object.keys(oddFiles)) {
      const report = await runMain(['report', join(runs, name)]);
      expect(report.code, name).toBe(2);
      expect(report.stderr).toContain('metrics.json');
      expect(report.stderr).toContain('no per-score metrics');
    }
  });

  it('a run.json that is not a run (`{}`, `null`) is listed as not read, the others shown', async () => {
    const runs = join(project, 'runs-info');
    expect((await runMain(['evaluate', card, '--out', join(runs, 'good'), '--quiet'])).code).toBe(
      0,
    );
    for (const [name, text] of Object.entries({ empty: '{}', null: 'null', list: '[1]' })) {
      cpSync(join(runs, 'good'), join(runs, name), { recursive: true });
      writeFileSync(join(runs, name, 'run.json'), text);
    }
    // Before: "Cannot read properties of undefined (reading 'length')", exit 1, nothing listed.
    const listed = await runMain(['runs', runs]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/good .*Spam Words: accuracy 0\.667/);
    for (const name of ['empty', 'null', 'list'])
      expect(listed.stdout).toContain(`${name}: run.json is not a Plexus run's`);
    const viewer = await startViewer({ root: runs, port: 0 });
    try {
      expect((await fetch(new URL('/', viewer.url))).status).toBe(200);
    } finally {
      await viewer.close();
    }
  });
});
