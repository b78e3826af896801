// Probes of issue 22 as an attacker or a clumsy user would send them: a template that loops a
// hundred million times, or ranges from the data and slow renderings. (Secrets echoed back:
// hostile-input-secrets.test.ts; prototype names as settings: hostile-input-settings.test.ts.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('hostile-input');

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
