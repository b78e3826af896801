import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyProcessorsAsync,
  bindProcessors,
  evaluate,
  InvalidConfigError,
  parseScorecard,
  processorSchema,
} from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './embedder.js';

// The semantic processor of core, run by this package's embedder on all-MiniLM-L6-v2 (int8).
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const minilm = join(root, '.cache/models/minilm');
const packageDir = join(here, '..');

// Harper Valley Bank calls (Apache-2.0: packages/core/test-data/hvb/LICENSE-NOTE.md).
const callsFile = join(root, 'packages/core/test-data/hvb/calls.jsonl');
const calls = new Map(
  readFileSync(callsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; text: string })
    .map((call) => [call.id, call.text]),
);
const lostCard = calls.get('0002f70f7386445b')!;
const appointment = calls.get('010eaccb7a23436f')!;
const cardQuery = 'the caller lost a card or needs a replacement card';

function semantic(settings: Record<string, unknown>, baseDir = packageDir) {
  const config = processorSchema.parse({
    type: 'semantic',
    model: join(minilm, 'model.onnx'),
    tokenizer: join(minilm, 'tokenizer.json'),
    ...settings,
  });
  return bindProcessors([config], baseDir);
}

beforeAll(() => {
  execFileSync(join(root, 'scripts/fetch-minilm.sh'), [minilm]);
});

describe('semantic processor', () => {
  it('keeps the turns closest to the query, in order, with their speakers', async () => {
    const kept = await applyProcessorsAsync(lostCard, semantic({ queries: [cardQuery], top_k: 3 }));
    expect(kept).toBe(
      [
        'Caller: i lost my debit card',
        '…',
        'Agent: which card would you like to replace',
        '…',
        'Caller: debit card',
      ].join('\n'),
    );
    // The same choice from the model's vectors directly: the 3 turns of highest cosine.
    const embedder = await createEmbedder({
      model: join(minilm, 'model.onnx'),
      tokenizer: join(minilm, 'tokenizer.json'),
    });
    const turns = lostCard.split('\n').map((line) => line.slice(line.indexOf(':') + 2));
    const [query, ...vectors] = await embedder.embed([cardQuery, ...turns]);
    const dot = (vector: Float32Array) =>
      vector.reduce((sum, value, i) => sum + value * query![i]!, 0);
    const best = vectors
      .map((vector, index) => ({ index, similarity: dot(vector) }))
      .sort((left, right) => right.similarity - left.similarity)
      .slice(0, 3)
      .map((entry) => lostCard.split('\n')[entry.index])
      .sort((left, right) => lostCard.indexOf(left!) - lostCard.indexOf(right!));
    expect(kept.split('\n').filter((line) => line !== '…')).toEqual(best);
  });

  it('finds what keywords miss: a card "swallowed by the machine" for an ATM query', async () => {
    const text = [
      'Agent: how can i help you today',
      'Caller: my card got swallowed by the machine outside your branch',
      'Caller: and what time do you close on saturday',
    ].join('\n');
    const window = bindProcessors(
      [processorSchema.parse({ type: 'window', keywords: ['atm'] })],
      packageDir,
    );
    expect(await applyProcessorsAsync(text, window)).toBe('');
    expect(
      await applyProcessorsAsync(text, semantic({ queries: ['the ATM kept my card'], top_k: 1 })),
    ).toBe('Caller: my card got swallowed by the machine outside your branch');
  });

  it('keeps only units above min_similarity, else the fallback', async () => {
    const strict = { queries: [cardQuery], min_similarity: 0.6 };
    expect(await applyProcessorsAsync(appointment, semantic(strict))).toBe('');
    expect(await applyProcessorsAsync(appointment, semantic({ ...strict, fallback: 'full' }))).toBe(
      appointment,
    );
  });

  it('loads the embedder from the package named, once, and embeds each text once', async () => {
    // A package of its own: vectors from letter counts, every embedded text counted.
    const folder = mkdtempSync(join(tmpdir(), 'plexus-embedder-'));
    const plugin = join(folder, 'node_modules', 'letter-embedder');
    mkdirSync(plugin, { recursive: true });
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({ name: 'letter-embedder', type: 'module', exports: './index.js' }),
    );
    writeFileSync(
      join(plugin, 'index.js'),
      `globalThis.embedded = [];
export async function createEmbedder() {
  return { model: 'letters', async embed(texts) {
    globalThis.embedded.push(...texts);
    return texts.map((text) => Float32Array.from('abcdefghijklmnopqrstuvwxyz', (c) => text.split(c).length - 1));
  } };
}`,
    );
    const configs = semantic({ queries: ['zzz'], top_k: 1, package: 'letter-embedder' }, folder);
    const text = 'Agent: hello\nCaller: fizz buzz\nAgent: goodbye';
    expect(await applyProcessorsAsync(text, configs)).toBe('Caller: fizz buzz');
    expect(await applyProcessorsAsync(text, configs)).toBe('Caller: fizz buzz');
    const embedded = (globalThis as { embedded?: string[] }).embedded!;
    expect([...embedded].sort()).toEqual(['fizz buzz', 'goodbye', 'hello', 'zzz']);
    const missing = semantic({ queries: ['x'], top_k: 1, package: 'no-such-embedder' }, folder);
    await expect(applyProcessorsAsync(text, missing)).rejects.toThrow(
      /package no-such-embedder is not installed .*npm install no-such-embedder/,
    );
  });

  it('names a missing model file or package at load, with its line', async () => {
    const load = parseScorecard(
      `name: Semantic
scores:
  - name: Replace
    class: test/contains
    word: replace
    processors:
      - type: semantic
        queries: [card]
        top_k: 1
        model: models/missing.onnx
        tokenizer: ${join(minilm, 'tokenizer.json')}
        package: no-such-embedder
`,
      { file: join(packageDir, 'semantic.yaml'), plugins: [testPlugin], cacheDir: tmpdir() },
    );
    const error = await load.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidConfigError);
    const problems = (error as InvalidConfigError).problems.map(
      (problem) => `${problem.line}: ${problem.path}: ${problem.message}`,
    );
    expect(problems).toEqual([
      `10: scores[0].processors[0].model: ${join(packageDir, 'models/missing.onnx')} not found: fix the path (relative to the scorecard) or fetch the model (scripts/fetch-minilm.sh DIR puts model.onnx and tokenizer.json in DIR)`,
      `12: scores[0].processors[0].package: package no-such-embedder is not installed (or not built) near ${packageDir}: npm install no-such-embedder`,
    ]);
  });

  it('runs in the engine: each score sees its filtered text', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'plexus-semantic-run-'));
    const card = await parseScorecard(
      `name: Semantic
scores:
  - name: Replace
    class: test/contains
    word: replace
    processors:
      - type: semantic
        queries: ["${cardQuery}"]
        top_k: 1
        model: ${join(minilm, 'model.onnx')}
        tokenizer: ${join(minilm, 'tokenizer.json')}
`,
      { file: join(packageDir, 'semantic.yaml'), plugins: [testPlugin], cacheDir: folder },
    );
    await evaluate({ scorecard: card, data: callsFile, outDir: join(folder, 'run'), cache: false });
    const lines = readFileSync(join(folder, 'run', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { item_id: string; value: string; status: string });
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      const seen = await applyProcessorsAsync(calls.get(line.item_id)!, card.scores[0]!.processors);
      expect(line.status).toBe('ok');
      expect(line.value, line.item_id).toBe(seen.includes('replace') ? 'yes' : 'no');
    }
    // The whole lost-card call has "replace"; its most card-like turn does not.
    expect(lines.find((line) => line.item_id === '0002f70f7386445b')!.value).toBe('no');
  });
});
