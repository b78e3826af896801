import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

it('stops quietly when the reader closes the pipe (plexus predict ... | head -1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-epipe-'));
  const rows = Array.from({ length: 20_000 }, (_, index) => `i${index},item ${index} free`);
  writeFileSync(join(dir, 'items.csv'), `id,text\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'card.yaml'),
    'name: Pipe\nscores:\n  - { name: Free, class: heuristic/keywords, phrases: [free] }\n',
  );
  const child = spawn(process.execPath, [bin, 'predict', 'card.yaml', '--data', 'items.csv'], {
    cwd: dir,
    env: { ...process.env, PLEXUS_CACHE_DIR: join(dir, 'cache') },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // Like `head -1`: read the first chunk, then close the reading end.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  expect(code).toBe(0);
});
