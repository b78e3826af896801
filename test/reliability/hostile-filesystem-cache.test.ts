// Hostile file systems under the response cache (issue 22): a cache on a full tmpfs, a read-only
// tmpfs and a folder without write permission says so once (also in run.json), leaves no file
// behind and gives the same results as --no-cache. Mounts need root (CI runs as root).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canMount,
  decisions,
  dir,
  env,
  fill,
  forbiddenFolder,
  listing,
  mounted,
  runCliUnprivileged,
  tmpfs,
  unmountAll,
} from './filesystem-harness.js';
import { runCli } from './harness.js';

afterAll(unmountAll);

describe('a cache that cannot write says so once', () => {
  let server: TestServer;
  let card: string;
  let data: string;
  let reference: string[];
  beforeAll(async () => {
    server = await startTestServer();
    card = join(dir, 'llm.yaml');
    writeFileSync(
      card,
      `name: Cached\nscores:\n  - { name: Asks, class: llm/classifier, labels: [yes, no], model: m, base_url: "${server.url}", api_key_env: TEST_KEY, prompt: "Asks for a call? {{ text }}" }\n`,
    );
    data = join(dir, 'llm.csv');
    writeFileSync(
      data,
      `id,text\n${Array.from({ length: 40 }, (_, index) => `m${index},message ${index}`).join('\n')}\n`,
    );
    const out = join(dir, 'cache-reference');
    expect(
      (await runCli(['evaluate', card, '--data', data, '--out', out, '--no-cache'], env)).code,
    ).toBe(0);
    reference = decisions(out);
  });
  afterAll(() => server.close());

  /** Runs with `--cache-dir cache`; checks one warning matching `meaning`, the same results. */
  async function expectOneWarning(
    result: { code: number | null; stderr: string },
    out: string,
    cache: string,
    meaning: RegExp,
  ) {
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => /cache/i.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: cannot write to the cache /);
    expect(warnings[0]).toContain(cache);
    expect(warnings[0]).toMatch(meaning);
    expect(warnings[0]).toContain('caching is off for the rest of this run');
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(info.warnings).toEqual([warnings[0]!.slice('warning: '.length)]);
    expect(info.status).toBe('completed');
    expect(decisions(out)).toEqual(reference);
  }

  it.skipIf(!canMount())(
    mounted('a full disk: one warning, no empty log files, the same results'),
    async () => {
      const cache = tmpfs('cache-full', 'size=64k')!;
      fill(cache);
      const out = join(dir, 'cache-full-run');
      const result = await runCli(
        ['evaluate', card, '--data', data, '--out', out, '--cache-dir', cache],
        env,
      );
      await expectOneWarning(result, out, cache, /ENOSPC: disk full/);
      expect(listing(cache).filter((name) => !name.startsWith('filler'))).toEqual([]);
    },
  );

  it.skipIf(!canMount())(
    mounted('a read-only cache folder: one warning, the same results'),
    async () => {
      const cache = tmpfs('cache-read-only', 'size=64k,ro')!;
      const out = join(dir, 'cache-ro-run');
      const result = await runCli(
        ['evaluate', card, '--data', data, '--out', out, '--cache-dir', cache],
        env,
      );
      await expectOneWarning(result, out, cache, /EROFS: read-only/);
      expect(listing(cache)).toEqual([]);
    },
  );

  it('a cache folder without write permission: one warning, the same results', async () => {
    const cache = forbiddenFolder('cache-forbidden');
    const runs = join(dir, 'forbidden-runs');
    mkdirSync(runs, { recursive: true });
    chmodSync(runs, 0o777);
    const out = join(runs, 'run');
    const result = await runCliUnprivileged([
      'evaluate',
      card,
      '--data',
      data,
      '--out',
      out,
      '--cache-dir',
      cache,
    ]);
    await expectOneWarning(result, out, cache, /EACCES: no permission/);
    expect(listing(cache)).toEqual([]);
  });
});
