// A careless server that echoes the API key into its answers: every quote Plexus cuts from an
// answer (the explanation's first 1,000 characters, the error's last answer, the trace's answers)
// is cut around the key, never through it, so the line's redaction finds the key whole.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseScorecard } from '@plexus/core';
import { afterAll, expect, it } from 'vitest';
import { plugin } from './plugin.js';
import { startTestServer } from './testing/openai-test-server.js';

const key = 'sk-echoed-SECRET-0123456789abcdefghij';
process.env.PLEXUS_ECHO_KEY = key;
const server = await startTestServer({
  answer: ({ text }) => {
    // The key straddles character 1,000 of the reasoning; 300 of an answer without a label.
    if (text.includes('[[long]]'))
      return JSON.stringify({
        reasoning: `${'y'.repeat(990)} ${key} ${'z'.repeat(9000)}`,
        label: 'spam',
      });
    if (text.includes('[[bad]]')) return `${'x'.repeat(290)} ${key} no label here`;
    return undefined;
  },
});
afterAll(() => server.close());

it('never keeps a piece of an echoed key', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-answer-secrets-'));
  const score = {
    name: 'S',
    class: 'llm/classifier',
    labels: ['spam', 'ham'],
    model: 'gpt-4o-mini',
    base_url: server.url,
    api_key_env: 'PLEXUS_ECHO_KEY',
    prompt: 'Q\n{{ text }}',
    max_tokens: 10_000,
    max_corrections: 0,
  };
  const card = await parseScorecard(`name: K\nscores:\n  - ${JSON.stringify(score)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const data = join(folder, 'items.csv');
  writeFileSync(data, 'id,text\nlong,[[long]]\nbad,[[bad]]\n');
  await evaluate({ scorecard: card, data, outDir: join(folder, 'run'), cache: false });
  const written = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8');
  expect(written).toContain('[redacted]');
  // No piece of the key of 9 characters or more: its start, its end, its middle.
  for (let start = 0; start + 9 <= key.length; start += 1)
    expect(written).not.toContain(key.slice(start, start + 9));
});
