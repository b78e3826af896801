// Probes of issue 22 as an attacker would send them: a server that echoes the API key back, a
// key named in the scorecard, a password in base_url; none reaches an output, a file, the cache
// or MLflow. (Templates with limits: hostile-input.test.ts; strict settings:
// hostile-input-settings.test.ts.)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
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
