import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, runMain } from './test-packages.js';

// Commands printed by review queue, feedback agreement and runs named paths as they were: with
// `my reviews.csv`, the pasted `plexus feedback import my reviews.csv` imported "my" and
// "reviews.csv".
const project = realpathSync(mkdtempSync(join(tmpdir(), 'plexus-printed-commands-')));
const folder = join(project, 'my project');
mkdirSync(folder);
const write = fileWriter(folder);
const data = write('data.csv', 'id,text,label\nm1,free prize,spam\nm2,hi mum,ham\n');
const card = write(
  'card.yaml',
  `name: Quoted\ndata: { path: ${JSON.stringify(data)} }\nscores:\n  - { name: Spam, class: heuristic/keywords, phrases: [free], labels: [spam, ham], label_column: label }\n`,
);

/** The words a shell makes of a printed command (`printf` shows each on its line). */
function shellWords(command: string): string[] {
  return execFileSync('bash', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' })
    .trimEnd()
    .split('\n');
}

describe('commands printed with paths a shell would split', () => {
  it('quote them: pasted, each path is one word', async () => {
    const run = join(folder, 'runs', 'run one');
    expect((await runMain(['evaluate', card, '--out', run, '--quiet'])).code).toBe(0);
    const queue = join(folder, 'my reviews.csv');
    const queued = await runMain(['review', 'queue', '--run', run, '--out', queue]);
    expect(queued.code, queued.stderr).toBe(0);
    const importCommand = /then: (plexus feedback import .*)\n/.exec(queued.stdout)![1]!;
    expect(shellWords(importCommand)).toEqual([
      'plexus',
      'feedback',
      'import',
      queue,
      '--reviewer',
      'NAME',
    ]);

    const agreement = await runMain([
      'feedback',
      'agreement',
      '--feedback-db',
      join(folder, 'f.sqlite'),
      '--run',
      run,
    ]);
    const reportCommand = /\((plexus report .*) shows it/.exec(agreement.stderr)![1]!;
    expect(shellWords(reportCommand)).toEqual(['plexus', 'report', run]);

    const listed = await runMain(['runs', run]);
    const runsCommand = /: (plexus runs .*), plexus view/.exec(listed.stdout)![1]!;
    expect(shellWords(runsCommand)).toEqual(['plexus', 'runs', join(folder, 'runs')]);
  });
});
