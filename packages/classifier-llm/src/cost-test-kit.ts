// What the cost test files (cost.test.ts, cost-budgets.test.ts) share: a real OpenAI-compatible
// test server on loopback (every LLM call goes to it), a folder, and helpers that write a
// scorecard and a dataset and read a run's results and metrics. Each file starts its own server.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LoadedScorecard,
  type LoadScorecardOptions,
  parseScorecard,
  type ResultLine,
  type RunMetricsFile,
} from '@plexus/core';
import { plugin } from './plugin.js';
import { startTestServer, type TestServer } from './testing/openai-test-server.js';

export interface CostKit {
  server: TestServer;
  folder: string;
  /** An `llm/classifier` score on the server, as a JSON scorecard entry. */
  score: (name: string, settings: Record<string, unknown>) => string;
  card: (scores: string[], options?: Partial<LoadScorecardOptions>) => Promise<LoadedScorecard>;
  /** A CSV of `count` items marked `[[spam]]`. */
  dataset: (count: number) => string;
  lines: (dir: string) => ResultLine[];
  metricsOf: (dir: string) => RunMetricsFile;
}

export async function costKit(): Promise<CostKit> {
  const server = await startTestServer({ seed: 21, latencyMs: 40 });
  process.env.PLEXUS_COST_TEST_KEY = 'sk-cost-test';
  const folder = mkdtempSync(join(tmpdir(), 'plexus-cost-'));
  return {
    server,
    folder,
    score: (name, settings) =>
      JSON.stringify({
        name,
        class: 'llm/classifier',
        labels: ['spam', 'ham'],
        base_url: server.url,
        api_key_env: 'PLEXUS_COST_TEST_KEY',
        prompt: `${name}: is this spam?\n{{ text }}`,
        ...settings,
      }),
    card: (scores, options = {}) =>
      parseScorecard(`name: Cost\nscores:\n${scores.map((entry) => `  - ${entry}\n`).join('')}`, {
        file: join(folder, 'card.yaml'),
        plugins: [plugin],
        cacheDir: folder,
        cache: false,
        ...options,
      }),
    dataset: (count) => {
      const path = join(folder, `items-${count}.csv`);
      const rows = Array.from(
        { length: count },
        (_, index) => `m${index},message ${index} [[spam]]`,
      );
      writeFileSync(path, `id,text\n${rows.join('\n')}\n`);
      return path;
    },
    lines: (dir) =>
      readFileSync(join(dir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ResultLine),
    metricsOf: (dir) =>
      JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as RunMetricsFile,
  };
}
