import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';
import { listPage } from './view/list-page.js';
import { listRuns } from './view/run-list.js';

// A runs folder holding a link to a run kept elsewhere (`runs/best -> /data/runs/v3`): `plexus
// runs` left it out without a word (it lists folders, and a link is none).
const project = mkdtempSync(join(tmpdir(), 'plexus-runs-links-'));
const write = fileWriter(project);
write('data.csv', 'id,text,label\n1,free prize,spam\n2,see you,ham\n');
write(
  'card.yaml',
  'name: Spam\ndata: { path: data.csv }\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free] }\n',
);

describe('plexus runs with a link among the run folders', () => {
  it('names a link to a run folder instead of leaving it out in silence', async () => {
    const runs = join(project, 'runs');
    const elsewhere = join(project, 'archive', 'v3');
    for (const out of [join(runs, 'v1'), elsewhere]) {
      const evaluated = await runMain([
        'evaluate',
        join(project, 'card.yaml'),
        '--out',
        out,
        '--quiet',
      ]);
      expect(evaluated.code, evaluated.stderr).toBe(0);
    }
    symlinkSync(elsewhere, join(runs, 'best'));
    symlinkSync(join(project, 'nowhere'), join(runs, 'dangling'));
    mkdirSync(join(runs, 'empty'));
    const listed = await runMain(['runs', runs]);
    expect(listed.code).toBe(0);
    // By hand: one run folder (v1), one link to a run (best); the dangling link and the empty
    // folder are no runs.
    expect(listed.stdout).toContain('1 run in');
    expect(listed.stdout).toContain(
      `not read: best: a link to ${elsewhere}, a run folder outside ${runs}: runs are listed where they are (plexus runs ${join(project, 'archive')})`,
    );
    expect(listed.stdout).not.toContain('dangling');
    const json = JSON.parse((await runMain(['runs', runs, '--json'])).stdout);
    expect(json.problems.map((problem: { name: string }) => problem.name)).toEqual(['best']);
    // The viewer's list of runs says it too (it left the link out in silence).
    const page = listPage(await listRuns(runs), runs);
    expect(page).toContain('best');
    expect(page).toContain('a run folder outside');
  });
});
