// Failing services: an LLM endpoint that refuses connections, resets them, cuts answers, storms
// 429s or is too slow; an MLflow server that answers 500 or is not there; a disk that fills up.
// Each run ends with a clear message and nothing already computed is lost.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { describe, expect, it } from 'vitest';
import { runCli, storedResults, workDir } from './harness.js';

const dir = workDir('failing');
const env = { TEST_KEY: 'test-key', MLFLOW_TRACKING_URI: '' };

function dataset(name: string, count: number): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `id,text\n${Array.from({ length: count }, (_, index) => `m${index},message ${index} call me`).join('\n')}\n`,
  );
  return path;
}

function card(name: string, baseUrl: string, extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [call] }\n  - { name: Asks, class: llm/classifier, labels: [yes, no], model: m, base_url: "${baseUrl}", api_key_env: TEST_KEY, prompt: "Asks for a call? {{ text }}"${extra} }\n`,
  );
  return path;
}

/** `plexus evaluate` of a scorecard over a dataset into `dir/out`, without the cache. */
function evaluateCard(path: string, data: string, out: string) {
  return runCli(['evaluate', path, '--data', data, '--out', join(dir, out), '--no-cache'], env);
}

describe('a failing LLM endpoint', () => {
  it('refused connections: every item ends as an error naming the endpoint; the rule scores everything', async () => {
    const data = dataset('refused.csv', 6);
    const result = await evaluateCard(
      card('Refused', 'http://127.0.0.1:9/v1', ', max_retries: 1'),
      data,
      'refused',
    );
    // The run completes, but a score that failed on every item exits 3 and says so.
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('score "Asks" failed on 6 of 6 items due an answer');
    expect(result.stdout).toMatch(/6 items, 12 results, 6 errors/);
    const errors = readFileSync(join(dir, 'refused', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))
      .filter((line) => line.status === 'error');
    expect(errors).toHaveLength(6);
    for (const line of errors)
      expect(line.error).toMatchObject({
        code: 'connection',
        message: expect.stringMatching(/cannot reach the endpoint/),
      });
  });

  it('resets, cut answers and a 429 storm: retried, every item ends once, retries counted', async () => {
    const server = await startTestServer({
      faults: { reset: 0.15, cut: 0.15, '429': 0.3 },
      seed: 7,
    });
    try {
      const data = dataset('storm.csv', 200);
      const result = await evaluateCard(
        card('Storm', server.url, ', max_retries: 8'),
        data,
        'storm',
      );
      expect(result.code).toBe(0);
      const stored = storedResults(join(dir, 'storm'));
      expect(new Set(stored.map((line) => `${line.item}|${line.score}`)).size).toBe(400);
      expect(stored).toHaveLength(400);
      const retried = Number(/\((\d+) retried\)/.exec(result.stdout)?.[1]);
      expect(retried).toBeGreaterThan(50);
      expect(stored.filter((line) => line.status === 'ok').length).toBeGreaterThanOrEqual(398);
    } finally {
      await server.close();
    }
  });

  it('too slow: each call times out with a clear error; the run completes', async () => {
    const server = await startTestServer({ latencyMs: 2000 });
    try {
      const data = dataset('slow.csv', 3);
      const result = await evaluateCard(
        card('Slow', server.url, ', timeout_ms: 200, max_retries: 1'),
        data,
        'slow',
      );
      expect(result.code).toBe(3);
      expect(result.stdout).toMatch(/3 items, 6 results, 3 errors/);
      expect(readFileSync(join(dir, 'slow', 'results.jsonl'), 'utf8')).toMatch(/"code":"timeout"/);
    } finally {
      await server.close();
    }
  });
});

describe('a failing MLflow server and a full disk', () => {
  it('MLflow slow and answering 500, or not there: the run is complete locally and says how to sync it', async () => {
    const broken = createServer((_, response) => {
      setTimeout(() => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end('{"error_code": "INTERNAL_ERROR"}');
      }, 400);
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const data = dataset('tracked.csv', 20);
    const rulesOnly = join(dir, 'rules.yaml');
    writeFileSync(
      rulesOnly,
      'name: Rules\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [call] }\n',
    );
    try {
      for (const uri of [
        `http://127.0.0.1:${(broken.address() as AddressInfo).port}`,
        'http://127.0.0.1:9',
      ]) {
        const out = join(dir, `tracked-${uri.length}`);
        const result = await runCli(['evaluate', rulesOnly, '--data', data, '--out', out], {
          MLFLOW_TRACKING_URI: uri,
        });
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(
          `The run is complete in ${out}; log it later with: plexus mlflow sync ${out}`,
        );
        expect(storedResults(out)).toHaveLength(20);
      }
    } finally {
      broken.close();
    }
  });

  it('the disk fills up: the run fails naming the file, keeps what it wrote, and --resume finishes it', async () => {
    const data = dataset('full.csv', 20_000);
    const rules = join(dir, 'full.yaml');
    writeFileSync(
      rules,
      'name: Full\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [call] }\n',
    );
    const out = join(dir, 'full');
    // A file-size limit of 300 KB for the run: writes beyond it fail as on a full disk.
    const failed = await runCli(
      ['evaluate', rules, '--data', data, '--out', out, '--no-cache'],
      env,
      'ulimit -f 300',
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Run failed: cannot write .*results\.jsonl: EFBIG/);
    expect(failed.stderr).toContain(`continue with --resume ${out}`);
    const kept = storedResults(out).length;
    expect(kept).toBeGreaterThan(0);
    const resumed = await runCli(['evaluate', rules, '--resume', out, '--no-cache'], env);
    expect(resumed.code).toBe(0);
    const stored = storedResults(out);
    expect(stored).toHaveLength(20_000);
    expect(new Set(stored.map((line) => line.item)).size).toBe(20_000);
  });
});
