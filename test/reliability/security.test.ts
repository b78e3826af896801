// Hostile scorecards and servers: expressions reaching for globals, templates reading files, class
// names that are paths, secrets in the environment and the scorecard, and a model registry that
// names files outside the model's folder. (Report escaping is tested in Chromium by core's
// report.browser.test.ts.)
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { evaluate, InvalidConfigError, loadScorecard, parseScorecard } from '@plexus/core';
import { MlflowClient, resolveModelUri } from '@plexus/mlflow-tracker';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'plexus-security-'));
const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const marker = join(dir, 'executed');
const canaryEnv = 'sk-canary-env-5f1c9a';
const canaryCard = 'sk-canary-card-8d2e7b';

async function load(source: string) {
  return parseScorecard(source, { file: join(dir, 'card.yaml'), plugins: [heuristic, llm] });
}

async function rejected(source: string): Promise<InvalidConfigError> {
  const error = await load(source).catch((caught: unknown) => caught);
  expect(error, source).toBeInstanceOf(InvalidConfigError);
  return error as InvalidConfigError;
}

describe('hostile scorecards', () => {
  it('logic expressions cannot reach globals, prototypes or functions', async () => {
    const attempts = [
      'constructor.constructor("return process")().exit(3)',
      'results.constructor.constructor("return this")()',
      'process.mainModule.require("fs").writeFileSync("MARKER", "x")',
      'globalThis.process',
      'this',
      'results["__proto__"]["polluted"] == "yes"',
      'require("fs")',
      'import("fs")',
      '(() => 1)()',
      'metadata.x = 1',
    ];
    for (const when of attempts) {
      const expression = JSON.stringify(when.replace('MARKER', marker));
      const error = await rejected(
        `name: X\nscores:\n  - { name: A, class: heuristic/keywords, labels: [yes, no], phrases: [a] }\n  - { name: B, class: heuristic/logic, labels: [yes, no], depends_on: [A], rules: [{ when: ${expression}, label: 'yes' }], otherwise: 'no' }\n`,
      );
      expect(error.problems[0]!.path).toMatch(/^scores\[1\]\.rules\[0\]\.when/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('templates cannot read files or call functions', async () => {
    const seen: string[] = [];
    const server = await startTestServer({
      answer: ({ text }) => {
        seen.push(text);
        return undefined;
      },
    });
    process.env.SECURITY_KEY = 'security-key';
    try {
      const prompts = [
        '{% include "/etc/passwd" %} {{ text }}',
        '{% render "/etc/hostname" %} {{ text }}',
        '{% layout "/etc/passwd" %}{{ text }}',
        '{{ text.constructor }} {{ text.length }} {{ metadata.constructor.name }}',
        '{{ "x" | append: metadata.__proto__ }} {{ text }}',
      ];
      for (const [index, prompt] of prompts.entries()) {
        const card = join(dir, `template-${index}.yaml`);
        writeFileSync(
          card,
          `name: T${index}\nscores:\n  - { name: S, class: llm/classifier, labels: [spam, ham], model: m, base_url: "${server.url}", api_key_env: SECURITY_KEY, prompt: ${JSON.stringify(prompt)} }\n`,
        );
        const scorecard = await loadScorecard(card, {
          plugins: [llm],
          cacheDir: join(dir, 'cache'),
        }).catch((error: unknown) => error);
        if (scorecard instanceof InvalidConfigError) continue; // refused at load: fine
        expect(scorecard).not.toBeInstanceOf(Error);
        const data = join(dir, `template-${index}.jsonl`);
        writeFileSync(data, `${JSON.stringify({ id: 'a', text: `hello ${index}` })}\n`);
        const summary = await evaluate({
          scorecard: scorecard as Awaited<ReturnType<typeof loadScorecard>>,
          data,
          outDir: join(dir, `template-run-${index}`),
          cache: false,
        });
        expect(summary.results).toBe(1);
      }
      const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
      // The two prompts without a file tag reached the server (the file tags fail the item): a
      // loop over no request would check nothing.
      expect(seen).toHaveLength(2);
      for (const text of seen) {
        expect(text).not.toContain(passwd);
        expect(text).not.toMatch(/function|native code|\[object/);
      }
    } finally {
      await server.close();
    }
  });

  it('a class is a package name, never a path: nothing is imported from one', async () => {
    const evil = join(dir, 'evil');
    mkdirSync(evil, { recursive: true });
    writeFileSync(
      join(evil, 'index.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');\nmodule.exports = {};\n`,
    );
    writeFileSync(join(evil, 'package.json'), '{"name": "evil", "main": "index.js"}');
    for (const className of [
      `${evil}/kind`,
      '../evil/kind',
      './evil/kind',
      `file://${evil}/kind`,
      '@x/../../evil/kind',
    ]) {
      const error = await rejected(
        `name: X\nscores:\n  - { name: A, class: ${JSON.stringify(className)}, labels: [a, b] }\n`,
      );
      expect(error.problems[0]!.message).toMatch(/must name an npm package|must look like/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('secrets in the environment or misplaced in the scorecard are never written or printed', async () => {
    const server = await startTestServer();
    try {
      // A key pasted into the scorecard is refused at load, without repeating it.
      const pasted = await rejected(
        `name: X\nscores:\n  - { name: S, class: llm/classifier, labels: [spam, ham], model: m, api_key: ${canaryCard}, prompt: "{{ text }}" }\n`,
      );
      expect(pasted.message).not.toContain(canaryCard);
      // A key put where a variable name goes is refused too, without repeating it.
      const misplaced = await rejected(
        `name: X\nscores:\n  - { name: S, class: llm/classifier, labels: [spam, ham], model: m, api_key_env: ${canaryCard}, prompt: "{{ text }}" }\n`,
      );
      expect(misplaced.message).toMatch(/api_key_env: an environment variable name/);
      expect(misplaced.message).not.toContain(canaryCard);
      // The key in the environment is used for the calls and written nowhere.
      const card = join(dir, 'canary.yaml');
      writeFileSync(
        card,
        `name: Canary\nscores:\n  - { name: Env, class: llm/classifier, labels: [spam, ham], model: m, base_url: "${server.url}", prompt: "{{ text }}" }\n`,
      );
      writeFileSync(join(dir, 'canary.csv'), 'id,text\n1,win a prize\n2,see you at noon\n');
      // Not spawnSync: the test server answers from this process.
      const result = await promisify(execFile)(
        process.execPath,
        [
          cli,
          'evaluate',
          card,
          '--data',
          join(dir, 'canary.csv'),
          '--out',
          join(dir, 'canary-run'),
          '--no-cache',
        ],
        {
          // From this package's folder: score packages are found from the working directory.
          cwd: fileURLToPath(new URL('.', import.meta.url)),
          env: { ...process.env, OPENAI_API_KEY: canaryEnv, PLEXUS_CACHE_DIR: join(dir, 'cache') },
        },
      );
      expect(result.stdout).toMatch(/2 items, 2 results, 0 errors/);
      const written = readdirSync(join(dir, 'canary-run')).map((name) =>
        readFileSync(join(dir, 'canary-run', name), 'utf8'),
      );
      for (const text of [result.stdout, result.stderr, ...written]) {
        expect(text).not.toContain(canaryEnv);
        expect(text).not.toContain(canaryCard);
      }
    } finally {
      await server.close();
    }
  });
});

describe('a hostile model registry', () => {
  /** An MLflow-shaped server whose model version lists the given files and MLmodel data path. */
  async function registry(files: string[], data: string, version = '1') {
    const server = createServer((request, response) => {
      const url = new URL(request.url!, 'http://x');
      const send = (body: unknown) =>
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      if (url.pathname.endsWith('/registered-models/alias'))
        return send({ model_version: { name: 'm', version } });
      if (url.pathname.endsWith('/model-versions/get-download-uri'))
        return send({ artifact_uri: 'mlflow-artifacts:/1/run/artifacts/model' });
      if (url.pathname === '/api/2.0/mlflow-artifacts/artifacts')
        return send({ files: files.map((path) => ({ path, is_dir: false, file_size: 1 })) });
      if (url.pathname.endsWith('/MLmodel'))
        return send(`flavors:\n  plexus_forest:\n    data: ${data}\n`);
      return send('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new MlflowClient({
      trackingUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      attempts: 1,
    });
    return { client, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it('refuses artifact and model paths outside the model folder, and non-numeric versions', async () => {
    const cacheDir = join(dir, 'registry-cache');
    const cases: [string[], string, string, RegExp][] = [
      [
        ['MLmodel', '../../../escaped.json'],
        'model.json',
        '1',
        /names the file "\.\.\/\.\.\/\.\.\/escaped\.json", outside/,
      ],
      [['MLmodel', '/tmp/absolute.json'], 'model.json', '1', /outside the model's folder/],
      [
        ['MLmodel'],
        '../../../../etc/passwd',
        '1',
        /names the file "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd", outside/,
      ],
      [['MLmodel'], 'model.json', '../../x', /gave version "\.\.\/\.\.\/x", not a number/],
    ];
    for (const [files, data, version, message] of cases) {
      const { client, close } = await registry(files, data, version);
      try {
        await expect(resolveModelUri('models:/m@champion', { client, cacheDir })).rejects.toThrow(
          message,
        );
      } finally {
        await close();
      }
    }
    expect(existsSync(join(dir, 'escaped.json'))).toBe(false);
    expect(existsSync(join(cacheDir, 'escaped.json'))).toBe(false);
    await expect(
      resolveModelUri('models:/..@champion', {
        client: new MlflowClient({ trackingUri: 'http://127.0.0.1:9' }),
        cacheDir,
      }),
    ).rejects.toThrow(/names no model/);
  });
});
