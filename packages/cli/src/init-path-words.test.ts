import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// `plexus init 'my proj'` said "next, from my proj:", and `cd my proj` went elsewhere (or failed).
describe('plexus init into a folder whose name a shell would split', () => {
  it.each(['my proj', 'it’s a "test"', 'two\nlines é'])(
    'prints a cd that reaches it: %j',
    async (name) => {
      const parent = realpathSync(mkdtempSync(join(tmpdir(), 'plexus-init-words-')));
      const before = process.cwd();
      process.chdir(parent);
      let init: Awaited<ReturnType<typeof runMain>>;
      try {
        init = await runMain(['init', name]);
      } finally {
        process.chdir(before);
      }
      expect(init.code, init.stderr).toBe(0);
      const cd = /\(cd (.*)\):\n/s.exec(init.stdout)?.[1];
      expect(cd, init.stdout).toBeDefined();
      // Pasted into a shell, from where init ran.
      const reached = execFileSync('bash', ['-c', `cd ${cd} && pwd`], {
        cwd: parent,
        encoding: 'utf8',
      });
      expect(reached).toBe(`${join(parent, name)}\n`);
    },
  );
});
