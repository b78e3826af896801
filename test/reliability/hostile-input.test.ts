// Probes of issue 22 as an attacker or a clumsy user would send them: a template that loops a
// hundred million times, a server that echoes the API key back, and prototype names as settings.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { InvalidConfigError, parseScorecard } from '@plexus/core';
import { MlflowClient } from '@plexus/mlflow-tracker';
import { describe, expect, it } from 'vitest';
import { runCli, storedResults, workDir } from './harness.js';

const dir = workDir('hostile-input');

/** Every file under a folder, recursively, as text. */
function filesUnder(folder: string): { path: string; text: string }[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return [{ path, text: readFileSync(path, 'utf8') }];
  });
}

function runInfo(out: string): { status: string; error: string | null } {
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
    status: string;
    error: string | null;
  };
}

describe('templates with limits', () => {
  it('validate refuses a literal loop range above the memory limit, naming the setting', async () => {
    const server = await startTestServer();
    try {
      const card = join(dir, 'loop.yaml');
      writeFileSync(
        card,
        `name: Loop\nscores:\n  - name: S\n    class: llm/classifier\n    labels: [spam, ham]\n    model: m\n    base_url: "${server.url}"\n    prompt: "{% for i in (1..100000000) %}x{% endfor %}"\n`,
      );
      const result = await runCli(['validate', card]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/loop\.yaml:8:\d+: scores\[0\]\.prompt: invalid template/);
      expect(result.stderr).toMatch(
        /\(1\.\.100000000\) has 100,000,000 steps, more than the template memory limit \(10,000,000\).*template_limits\.memory/,
      );
    } finally {
      await server.close();
    }
  });

  it('an item whose template exceeds a limit gets a template_limit error and the run goes on', async () => {
    const server = await startTestServer();
    try {
      const card = join(dir, 'limits.yaml');
      // The range comes from the data: only the rendering can see it.
      writeFileSync(
        card,
        [
          'name: Limits',
          'scores:',
          '  - name: Memory',
          '    class: llm/classifier',
          '    labels: [spam, ham]',
          '    model: m',
          `    base_url: "${server.url}"`,
          '    prompt: "{% for i in (1..metadata.n) %}x{% endfor %} {{ text }}"',
          '  - name: Time',
          '    class: llm/classifier',
          '    labels: [spam, ham]',
          '    model: m',
          `    base_url: "${server.url}"`,
          '    template_limits: { render_ms: 200 }',
          '    prompt: "{% for i in (1..metadata.m) %}{% for j in (1..metadata.m) %}x{% endfor %}{% endfor %} {{ text }}"',
          '',
        ].join('\n'),
      );
      const data = join(dir, 'limits.csv');
      writeFileSync(
        data,
        'id,text,n,m\nsmall,hello,5,3\nhuge,hello,100000000,3000\nafter,bye,2,2\n',
      );
      const out = join(dir, 'limits-run');
      // Errors are expected here: the error-rate gate (exit 3) is not what is tested.
      const result = await runCli([
        'evaluate',
        card,
        '--data',
        data,
        '--out',
        out,
        '--no-cache',
        '--max-error-rate',
        '1',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(runInfo(out).status).toBe('completed');
      const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map(
          (text) =>
            JSON.parse(text) as {
              item_id: string;
              score: string;
              status: string;
              error: { code?: string; message: string } | null;
            },
        );
      expect(lines).toHaveLength(6);
      const of = (item: string, score: string) =>
        lines.find((line) => line.item_id === item && line.score === score)!;
      for (const item of ['small', 'after'])
        for (const score of ['Memory', 'Time']) expect(of(item, score).status).toBe('ok');
      expect(of('huge', 'Memory').error?.code).toBe('template_limit');
      expect(of('huge', 'Memory').error?.message).toMatch(/memory alloc limit exceeded/);
      expect(of('huge', 'Time').error?.code).toBe('template_limit');
      expect(of('huge', 'Time').error?.message).toMatch(/template render limit exceeded/);
      expect(result.stdout).toMatch(/3 items, 6 results, 2 errors/);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('secrets redacted everywhere', () => {
  const canaryEnv = 'sk-canary-echo-3b9f0d2e';
  const canaryNamed = 'team-key-canary-77aa10';
  /** A password in a scorecard's `base_url`: the scorecard is copied into the run folder. */
  const canaryUrl = 'url-pass-canary-91d3';

  it('a server echoing the Authorization header leaks the key into no output, file or cache entry', async () => {
    const refusing = await startTestServer({ echoAuthorization: 'error' });
    const answering = await startTestServer({ echoAuthorization: 'answer' });
    try {
      const card = join(dir, 'echo.yaml');
      writeFileSync(
        card,
        [
          'name: Echo',
          'scores:',
          `  - { name: Refused, class: llm/classifier, labels: [spam, ham], model: m, base_url: "${refusing.url}", max_retries: 0, prompt: "{{ text }}" }`,
          // A key in a variable of any name: known from the header it is sent in.
          `  - { name: Answered, class: llm/classifier, labels: [spam, ham], model: m, base_url: "${answering.url.replace('//', `//plexus:${canaryUrl}@`)}", api_key_env: TEAM_LLM, prompt: "{{ text }}" }`,
          '',
        ].join('\n'),
      );
      const data = join(dir, 'echo.csv');
      writeFileSync(data, 'id,text,label\n1,win a prize,spam\n2,see you at noon,ham\n');
      const out = join(dir, 'echo-run');
      const cache = join(dir, 'echo-cache');
      const result = await runCli(
        ['evaluate', card, '--data', data, '--out', out, '--max-error-rate', '1'],
        {
          OPENAI_API_KEY: canaryEnv,
          TEAM_LLM: canaryNamed,
          PLEXUS_CACHE_DIR: cache,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/2 items, 4 results, 2 errors/);
      // The servers did echo the keys: the redaction is what keeps them out.
      const results = readFileSync(join(out, 'results.jsonl'), 'utf8');
      expect(results).toContain('you sent Authorization: Bearer [redacted]');
      expect(results).toContain('(Authorization: Bearer [redacted])');
      const written = [...filesUnder(out), ...filesUnder(cache)];
      expect(written.map((file) => file.path)).toEqual(
        expect.arrayContaining([join(out, 'run.json'), join(out, 'report.html')]),
      );
      expect(written.some((file) => file.path.includes('llm-responses'))).toBe(true);
      for (const { path, text } of [
        { path: 'stdout', text: result.stdout },
        { path: 'stderr', text: result.stderr },
        ...written,
      ]) {
        expect(text, path).not.toContain(canaryEnv);
        expect(text, path).not.toContain(canaryNamed);
        expect(text, path).not.toContain(canaryUrl);
      }
      expect(readFileSync(join(out, 'scorecard.yaml'), 'utf8')).toContain('plexus:[redacted]@');
      expect(storedResults(out)).toHaveLength(4);
    } finally {
      await refusing.close();
      await answering.close();
    }
  }, 60_000);

  it('an MLflow server echoing the token gets no token in payloads, and errors quote none', async () => {
    const token = 'mlflow-token-canary-51c2e9';
    const bodies: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        bodies.push(body);
        const headers: IncomingHttpHeaders = request.headers;
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `bad request from ${headers.authorization}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new MlflowClient({
        trackingUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token,
        attempts: 1,
      });
      const error = await client
        .logBatch('run-1', { params: [{ key: 'note', value: `pasted ${token} by mistake` }] })
        .catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain('bad request from Bearer [redacted]');
      expect((error as Error).message).not.toContain(token);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toContain('pasted [redacted] by mistake');
      expect(bodies[0]).not.toContain(token);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('strict settings everywhere', () => {
  const keywords = 'class: heuristic/keywords\n    labels: [yes, no]\n    phrases: [a]';

  async function refusal(source: string, file = 'card.yaml'): Promise<InvalidConfigError> {
    const error = await parseScorecard(source, {
      file: join(dir, file),
      plugins: [heuristic, llm],
      create: false,
    }).catch((caught: unknown) => caught);
    expect(error, source).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }

  it('__proto__, constructor and prototype are refused as setting names at any depth, with line and column', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const cases: [string, string, number, number][] = [
        // A score's own setting: `__proto__` was accepted silently.
        [
          `name: X\nscores:\n  - name: A\n    ${keywords}\n    ${name}:\n      x: 1\n`,
          'scores[0]',
          7,
          5,
        ],
        [`name: X\n${name}: 1\nscores:\n  - name: A\n    ${keywords}\n`, '', 2, 1],
        [
          `name: X\nscores:\n  - name: A\n    class: llm/classifier\n    labels: [yes, no]\n    model: m\n    prompt: "{{ text }}"\n    budget:\n      ${name}: { x: 1 }\n`,
          'scores[0].budget',
          9,
          7,
        ],
        [
          `name: X\nscores:\n  - name: A\n    class: llm/graph\n    labels: [yes, no]\n    model: m\n    nodes:\n      - name: n\n        type: classifier\n        prompt: "{{ text }}"\n        labels: [yes, no]\n        ${name}: { x: 1 }\n`,
          'scores[0].nodes[0]',
          12,
          9,
        ],
        // Inside a map of names (score names are data), the condition's settings are settings.
        [
          `name: X\nscores:\n  - name: A\n    ${keywords}\n  - name: B\n    ${keywords}\n    depends_on:\n      A: { ${name}: { x: 1 } }\n`,
          'scores[1].depends_on.A',
          12,
          12,
        ],
      ];
      for (const [source, parent, line, column] of cases) {
        const error = await refusal(source);
        const path = parent ? `${parent}.${name}` : name;
        expect(error.message).toContain(
          `${join(dir, 'card.yaml')}:${line}:${column}: ${path}: unknown setting "${name}"`,
        );
      }
    }
    // JSON scorecards too.
    const json = await refusal(
      '{"name": "X", "scores": [{"name": "A", "class": "heuristic/keywords", "labels": ["yes", "no"], "phrases": ["a"], "__proto__": {"x": 1}}]}',
      'card.json',
    );
    expect(json.message).toMatch(/card\.json:1:\d+: scores\[0\]\.__proto__: unknown setting/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a label named __proto__ as a key of label_map or a graph route is refused, not dropped', async () => {
    const labelMap = await refusal(
      `name: X\nscores:\n  - name: A\n    class: llm/hf-task\n    task: zero-shot-classification\n    model: m\n    labels: [yes, no]\n    label_map:\n      __proto__: yes\n      other: no\n`,
    );
    expect(labelMap.message).toMatch(
      /card\.yaml:9:7: scores\[0\]\.label_map\.__proto__: a label named "__proto__"/,
    );
    const routes = await refusal(
      `name: X\nscores:\n  - name: A\n    class: llm/graph\n    labels: [yes, no]\n    model: m\n    nodes:\n      - name: n\n        type: classifier\n        prompt: "{{ text }}"\n        labels: [yes, no]\n        routes:\n          __proto__: yes\n`,
    );
    expect(routes.message).toMatch(
      /scores\[0\]\.nodes\[0\]\.routes\.__proto__: a label named "__proto__"/,
    );
  });

  it('a reserved key is reported with every other problem, not alone', async () => {
    const error = await refusal(
      `name: X\nscores:\n  - name: A\n    class: heuristic/keywordz\n    labels: [yes, no]\n  - name: B\n    ${keywords}\n    phrasse: [b]\n    __proto__: { a: 1 }\n`,
    );
    expect(error.message).toMatch(/scores\[1\]\.__proto__: unknown setting "__proto__"/);
    expect(error.message).toMatch(/unknown kind "keywordz"/);
    expect(error.message).toMatch(/phrasse/);
    expect(error.message.match(/__proto__/g)).toHaveLength(2);
  });

  it('the CLI refuses __proto__ inside a score with exit 2 and the place', async () => {
    const card = join(dir, 'proto.yaml');
    writeFileSync(
      card,
      `name: X\nscores:\n  - name: A\n    ${keywords}\n    __proto__: { on_match: no }\n`,
    );
    const result = await runCli(['validate', card]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /proto\.yaml:7:5: scores\[0\]\.__proto__: unknown setting "__proto__"/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('sweep files refuse prototype names as keys and as parts of a dotted setting', async () => {
    const { loadSweepFile } = await import('@plexus/core');
    const cases: [string, RegExp][] = [
      [
        'parameters:\n  constructor: [1]\n',
        /:2:3: parameters\.constructor: unknown setting "constructor"/,
      ],
      [
        'parameters:\n  features.__proto__.x: [1, 2]\n',
        /:2:\d+: parameters\.features\.__proto__\.x: unknown setting "__proto__"/,
      ],
    ];
    for (const [index, [source, message]] of cases.entries()) {
      const sweep = join(dir, `sweep-${index}.yaml`);
      writeFileSync(sweep, source);
      const error = await loadSweepFile(sweep).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
