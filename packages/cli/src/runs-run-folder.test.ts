import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

// `plexus runs runs/v2` (a run, not the runs folder) printed "No runs in runs/v2." alone.
const project = mkdtempSync(join(tmpdir(), 'plexus-runs-run-folder-'));
const write = fileWriter(project);
write('data.csv', 'id,text,label\n1,free prize,spam\n2,see you,ham\n');
write(
  'card.yaml',
  'name: Spam\ndata: { path: data.csv }\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free] }\n',
);

describe('plexus runs given a run folder', () => {
  it('says the folder is a run and names its runs folder', async () => {
    const runs = join(project, 'runs');
    const run = join(runs, 'v1');
    const evaluated = await runMain([
      'evaluate',
      join(project, 'card.yaml'),
      '--out',
      run,
      '--quiet',
    ]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const listed = await runMain(['runs', run]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(
      `No runs in ${run}: it is a run folder itself (it holds run.json); the runs folder is ${runs}: plexus runs ${runs}, plexus view ${runs}\n`,
    );
    // Its parent lists it.
    expect((await runMain(['runs', runs])).stdout).toContain('1 run in');
  });

  it('says only "No runs" for an empty folder that is no run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'plexus-runs-empty-'));
    expect((await runMain(['runs', empty])).stdout).toBe(`No runs in ${empty}.\n`);
  });
});
