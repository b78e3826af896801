// Hostile paths and failing file systems (issue 22): training writes only inside the scorecard's
// folder or --out and never over a file that is not its kind of model; a file that fails to parse
// as a model is never quoted; a cache that cannot write says so once and turns itself off; and
// read-only, forbidden, full and vanished folders are named with what they mean.
// Full and read-only disks are real tmpfs mounts (the suite runs as root in CI); "no permission"
// runs the CLI in a mode-555 folder, as root without the capabilities that bypass file modes.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, here, runCli, sleep, workDir } from './harness.js';

const dir = workDir('filesystem');
chmodSync(dir, 0o755); // user nobody reads the scorecards and datasets
const env = { TEST_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };
const sms = fileURLToPath(
  new URL('../../packages/classifier-forest/fixtures/sms-1200.csv', import.meta.url),
);
const isRoot = process.getuid?.() === 0;

const mounts: string[] = [];
/** A tmpfs mounted in the work folder with these options, or undefined when mounting is refused. */
function tmpfs(name: string, options: string): string | undefined {
  const target = join(dir, name);
  mkdirSync(target, { recursive: true });
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', target]);
  if (result.status !== 0) return undefined;
  mounts.push(target);
  return target;
}
const canMount = tmpfs('probe', 'size=16k') !== undefined;
/** A test name, with the reason when it is skipped for want of mounts. */
const mounted = (name: string) =>
  canMount ? name : `${name} (skipped: mount -t tmpfs is refused here, not root)`;
afterAll(() => {
  for (const target of mounts.reverse()) spawnSync('umount', ['-l', target]);
});

/** Fills a folder's file system: a file grows until the disk is full. */
function fill(folder: string): void {
  const fd = openSync(join(folder, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096, 1));
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
}

/** Every file and folder under `folder`, relative, with the size of files. */
function listing(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const stat = statSync(join(folder, name));
      return stat.isDirectory() ? `${name}/` : `${name} (${stat.size} bytes)`;
    })
    .sort();
}

/**
 * How root runs the CLI without its power over file modes: `setpriv` drops the capabilities that
 * bypass them (so a mode-555 folder refuses root too, wherever the checkout is, even in a folder
 * only root can enter, as `mktemp -d` makes); without setpriv, as user nobody (who must be able to
 * read the checkout).
 */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const dropCaps = '-dac_override,-dac_read_search,-fowner';
const asNobody = isRoot && !setpriv;

/** A folder that the CLI cannot write into: root's own folder for user nobody, or mode 555. */
function forbiddenFolder(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, asNobody ? 0o755 : 0o555);
  return folder;
}

/** `plexus ...args` without the right to bypass file modes (see `setpriv`). */
function runCliUnprivileged(args: string[], extra: NodeJS.ProcessEnv = {}) {
  const command = [process.execPath, cli, ...args];
  const [file, ...rest] =
    isRoot && setpriv
      ? [setpriv, `--inh-caps=${dropCaps}`, `--bounding-set=${dropCaps}`, '--', ...command]
      : command;
  const child = spawn(file!, rest, {
    cwd: here,
    env: { ...process.env, ...env, HOME: dir, ...extra },
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.once('close', (code) => done({ code, stdout, stderr })),
  );
}

/** Item and value of each result line, sorted: what a run decided, whatever the cache did. */
function decisions(out: string): string[] {
  return readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { item_id: string; score: string; value: string | null })
    .map((line) => `${line.item_id}|${line.score}|${line.value}`)
    .sort();
}

describe('training writes only inside the scorecard folder or --out', () => {
  const project = join(dir, 'a', 'project');
  const outside = join(dir, 'some');
  const victim = join(outside, 'file');
  mkdirSync(project, { recursive: true });
  mkdirSync(outside, { recursive: true });
  copyFileSync(sms, join(project, 'data.csv'));
  const card = (model: string, file = 'card.yaml') => {
    writeFileSync(
      join(project, file),
      `name: Spam\nscores:\n  - name: spam\n    class: forest/random-forest\n    label_column: label\n    labels: [spam, ham]\n    model: ${JSON.stringify(model)}\n    trees: 5\n`,
    );
    return join(project, file);
  };
  const train = (path: string, ...args: string[]) =>
    runCli(['train', path, '--data', join(project, 'data.csv'), '--quiet', ...args], env);

  it('model: ../../some/file or an absolute path outside: exit 2 naming the path and --out, the file untouched', async () => {
    for (const model of ['../../some/file', victim]) {
      writeFileSync(victim, 'precious notes\n');
      const result = await train(card(model));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(victim);
      expect(result.stderr).toContain("outside the scorecard's folder");
      expect(result.stderr).toContain('--out');
      expect(readFileSync(victim, 'utf8')).toBe('precious notes\n');
    }
  });

  it('a file that is not a plexus-forest model, inside the folder or in --out, is not overwritten', async () => {
    const notes = join(project, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const inside = await train(card('notes.txt'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`${notes} exists and is not a plexus-forest model`);
    expect(inside.stderr).toContain('--out');
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');

    const out = join(dir, 'trained');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'spam.json'), '{"api_key": "keep me"}\n');
    const intoOut = await train(card('models/spam.json'), '--out', out);
    expect(intoOut.code).toBe(2);
    expect(intoOut.stderr).toContain(join(out, 'spam.json'));
    expect(readFileSync(join(out, 'spam.json'), 'utf8')).toBe('{"api_key": "keep me"}\n');
  });

  it('its own model is replaced, inside the folder and in --out; the model path outside is fine with --out', async () => {
    const path = card('models/spam.json');
    for (let round = 0; round < 2; round += 1) expect((await train(path)).code).toBe(0);
    const model = JSON.parse(readFileSync(join(project, 'models', 'spam.json'), 'utf8'));
    expect(model.format).toBe('plexus-forest');

    const out = join(dir, 'elsewhere-out');
    writeFileSync(victim, 'precious notes\n');
    const redirected = await train(card('../../some/file'), '--out', out);
    expect(redirected.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'file'), 'utf8')).format).toBe('plexus-forest');
    expect(readFileSync(victim, 'utf8')).toBe('precious notes\n');
  });

  it('train --sweep --out over a file that is not a model: exit 2 before any trial', async () => {
    const sweep = join(project, 'sweep.yaml');
    writeFileSync(
      sweep,
      'method: grid\nmetric: f1_macro\nvalidation: { folds: 2 }\nparameters:\n  trees: [3, 4]\n',
    );
    const out = join(dir, 'sweep-out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'spam.json'), 'not a model\n');
    const result = await runCli(
      [
        'train',
        card('models/spam.json'),
        '--data',
        join(project, 'data.csv'),
        '--sweep',
        sweep,
        '--sweep-dir',
        join(dir, 'sweep-folder'),
        '--out',
        out,
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(out, 'spam.json')} exists and is not a plexus-forest`);
    expect(result.stderr).not.toMatch(/^trial /m);
    expect(readFileSync(join(out, 'spam.json'), 'utf8')).toBe('not a model\n');
  });

  it('spark train with a model outside the folder: exit 2 before Spark is started', async () => {
    const result = await runCli(
      [
        'spark',
        'train',
        card('../../some/file'),
        '--score',
        'spam',
        '--input',
        join(project, 'data.csv'),
        '--output',
        join(dir, 'spark-output'),
        '--spark-submit',
        join(dir, 'no-spark-submit-here'),
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(victim);
    expect(result.stderr).toContain('--out');
    expect(result.stderr).not.toContain('no-spark-submit-here');
  });
});

describe('a file that fails to parse as a model is never quoted', () => {
  const project = join(dir, 'models');
  mkdirSync(project, { recursive: true });
  const secret = 'SECRET-TOKEN-4242';
  const files = {
    'text.json': `${secret}: not json at all\n`,
    'config.json': `{"api_key": "${secret}"}\n`,
    // A protobuf a reader can walk (a graph field, then a string) that is not a model.
    'walkable.onnx': Buffer.concat([
      Buffer.from([0x3a, 0x00, 0x0a, secret.length]),
      Buffer.from(secret),
    ]),
    'no-opset.onnx': Buffer.from([0x08, 0x07, 0x3a, 0x00]),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(project, name), content);
  writeFileSync(join(project, 'data.csv'), `id,text\n1,${secret} hello\n`);
  const evaluate = (kind: 'forest/random-forest' | 'onnx/classifier', model: string) => {
    const path = join(project, `${kind.replace('/', '-')}.yaml`);
    writeFileSync(
      path,
      `name: Models\nscores:\n  - { name: m, class: ${kind}, labels: [spam, ham], model: ${JSON.stringify(model)} }\n`,
    );
    return runCli(['evaluate', path, '--data', join(project, 'data.csv'), '--no-cache'], env);
  };

  it('forest and ONNX scores over text, JSON, protobuf and /etc/passwd: the file is named, its contents are not', async () => {
    const models = [...Object.keys(files).map((name) => join(project, name))];
    if (existsSync('/etc/passwd')) models.push('/etc/passwd');
    for (const kind of ['forest/random-forest', 'onnx/classifier'] as const)
      for (const model of models) {
        const result = await evaluate(kind, model);
        expect(result.code, `${kind} ${model}`).toBe(2);
        expect(result.stderr).toContain(model);
        expect(result.stderr).not.toContain('SECRET');
        expect(result.stderr).not.toMatch(/root:/);
      }
  });
});

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

  it.skipIf(!canMount)(
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

  it.skipIf(!canMount)(
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

  it.skipIf(!canMount)(
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

  it.skipIf(!canMount)(
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
