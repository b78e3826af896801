// File-system errors of a run folder say what they mean (issue 22): --out on a read-only mount,
// in a folder without write permission, on a disk that fills up, and removed mid-run. Mounts need
// root (CI runs as root); without it those tests are skipped, saying so.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canMount,
  dir,
  env,
  forbiddenFolder,
  mounted,
  runCliUnprivileged,
  tmpfs,
  unmountAll,
} from './filesystem-harness.js';
import { runCli, sleep } from './harness.js';

afterAll(unmountAll);

describe('file-system errors say what they mean', () => {
  const rules = join(dir, 'rules.yaml');
  writeFileSync(
    rules,
    'name: Rules\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [call] }\n',
  );
  const dataset = (name: string, count: number) => {
    const path = join(dir, name);
    writeFileSync(
      path,
      `id,text\n${Array.from({ length: count }, (_, index) => `m${index},message ${index} call me`).join('\n')}\n`,
    );
    return path;
  };
  const small = dataset('small.csv', 10);

  it.skipIf(!canMount())(
    mounted('--out on a read-only mount: "read-only" and the path, not ENOENT'),
    async () => {
      const mount = tmpfs('out-read-only', 'size=64k,ro')!;
      const out = join(mount, 'run');
      const result = await runCli(
        ['evaluate', rules, '--data', small, '--out', out, '--no-cache'],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot create the run folder ${out}: EROFS: read-only`);
      expect(result.stderr).not.toContain('ENOENT');
    },
  );

  it('--out in a folder without write permission: "no permission" and the path', async () => {
    const out = join(forbiddenFolder('out-forbidden'), 'run');
    const result = await runCliUnprivileged([
      'evaluate',
      rules,
      '--data',
      small,
      '--out',
      out,
      '--no-cache',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot create the run folder ${out}: EACCES: no permission`);
  });

  it.skipIf(!canMount())(
    mounted('the disk of --out fills up: "disk full", the file, and how to resume'),
    async () => {
      const mount = tmpfs('out-full', 'size=64k')!;
      const out = join(mount, 'run');
      const data = dataset('many.csv', 20_000);
      const result = await runCli(
        ['evaluate', rules, '--data', data, '--out', out, '--no-cache'],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`cannot write ${out}/\\S+: ENOSPC: disk full`));
      expect(result.stderr).toContain(
        `continue with: plexus evaluate ${resolve(rules)} --resume ${out}`,
      );
    },
  );

  it('the run folder removed while the run goes on: "does not exist" and the path', async () => {
    const server = await startTestServer({ latencyMs: 150 });
    try {
      const card = join(dir, 'slow.yaml');
      writeFileSync(
        card,
        `name: Slow\nscores:\n  - { name: Asks, class: llm/classifier, labels: [yes, no], model: m, base_url: "${server.url}", api_key_env: TEST_KEY, prompt: "Asks? {{ text }}", max_concurrency: 1 }\n`,
      );
      const out = join(dir, 'vanishing');
      const run = runCli(
        ['evaluate', card, '--data', dataset('slow.csv', 12), '--out', out, '--no-cache'],
        env,
      );
      let ended = false;
      void run.finally(() => {
        ended = true;
      });
      while (!ended && !existsSync(join(out, 'run.json'))) await sleep(20);
      rmSync(out, { recursive: true, force: true });
      const result = await run;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`cannot write ${out}/\\S+: ENOENT: does not exist`));
    } finally {
      await server.close();
    }
  });
});
