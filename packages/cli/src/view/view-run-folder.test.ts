// `plexus view runs/v2` (a run folder, not a runs folder) served that folder and said "No runs in
// runs/v2 yet". It serves the runs folder around it and opens the run's own page.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { writeTestRun } from './test-runs.js';

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

it('a run folder is shown at its own page, in its runs folder', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-view-run-folder-'));
  const rows = [{ id: 'a', text: 'one', gold: 'odd', guess: 'odd' }];
  await writeTestRun(folder, 'v2', rows, { scorecard: 'Parity' });
  const viewer = spawn(process.execPath, [
    bin,
    'view',
    join(folder, 'runs', 'v2'),
    '--port',
    '0',
    '--no-open',
  ]);
  try {
    let printed = '';
    const url = await new Promise<string>((found, failed) => {
      viewer.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /plexus view: (\S+)/.exec(printed);
        if (match && printed.includes('Ctrl-C')) found(match[1]!);
      });
      viewer.on('exit', (code) => failed(new Error(`view exited ${code}: ${printed}`)));
    });
    expect(url).toMatch(/\/run\/v2$/);
    expect(printed).toContain(`runs folder ${join(folder, 'runs')} (`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Parity');
    const list = await (await fetch(new URL('/', url))).text();
    expect(list).toContain('1 run in');
  } finally {
    viewer.kill();
  }
});
