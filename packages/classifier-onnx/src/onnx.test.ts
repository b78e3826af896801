import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InvalidConfigError,
  MissingDependencyError,
  type ScoreEnvV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxRuntime, setOnnxRuntimeLoader } from './onnx-runtime.js';
import { onnxClassifierFactory } from './onnx-score.js';
import { onnxSettingsSchema } from './onnx-settings.js';
import { fixtures, miniLm, referencePredictions, runScript, temporaryDir } from './test-models.js';

const dir = temporaryDir();
const sms = readFileSync(join(fixtures, 'sms-1200.csv'), 'utf8')
  .split('\n')
  .slice(1, 301)
  .map((line) =>
    line
      .replace(/^sms-\d+,/, '')
      .replace(/,(ham|spam)$/, '')
      .replace(/^"|"$/g, ''),
  );

function env(labels: readonly string[]): ScoreEnvV1 {
  return { name: 'Model', labels, baseDir: dir, cacheDir: dir, dependsOn: [] };
}

async function score(
  settings: Record<string, unknown>,
  labels: readonly string[],
  items: { text?: string; metadata?: Record<string, unknown> }[],
) {
  const created = await onnxClassifierFactory.create(
    onnxSettingsSchema.parse(settings),
    env(labels),
  );
  return created.doScore({
    items: items.map((item, index) => ({
      id: String(index),
      text: item.text ?? '',
      metadata: item.metadata ?? {},
      results: {},
    })),
    signal: new AbortController().signal,
    context: { scorecard: 'test' },
  });
}

function expectParity(
  outputs: ScoreOutputV1[],
  reference: { labels: string[] | null; probabilities: number[][] | null },
  columns: readonly string[],
) {
  expect(outputs.map((output) => output.value)).toEqual(reference.labels);
  outputs.forEach((output, item) => {
    columns.forEach((label, column) => {
      expect(
        Math.abs(output.probabilities![label]! - reference.probabilities![item]![column]!),
      ).toBeLessThan(1e-5);
    });
  });
}

beforeAll(() => {
  runScript('train_tfidf.py', [
    join(fixtures, 'sms-1200.csv'),
    join(dir, 'spam.onnx'),
    '--skip-every',
    '5',
  ]);
  runScript('train_tfidf.py', [
    join(fixtures, 'sms-1200.csv'),
    join(dir, 'spam-zipmap.onnx'),
    '--skip-every',
    '5',
    '--zipmap',
  ]);
  runScript('make_tabular_model.py', [join(dir, 'tabular.onnx')]);
}, 900_000);

describe('onnx/classifier', () => {
  it('gives the labels and probabilities of Python onnxruntime for a scikit-learn text pipeline', async () => {
    const reference = referencePredictions({ model: join(dir, 'spam.onnx'), texts: sms });
    expect(reference.labels!.filter((label) => label === 'spam').length).toBeGreaterThan(10);
    const items = sms.map((text) => ({ text }));
    const outputs = await score({ model: 'spam.onnx', batch_size: 64 }, ['spam', 'ham'], items);
    expectParity(outputs, reference, ['ham', 'spam']);
    expect(outputs[0]!.confidence).toBe(outputs[0]!.probabilities![outputs[0]!.value!]);
    // ZipMap's maps cannot cross into Node: its input tensor is read, so the numbers are the same.
    const zipped = await score({ model: 'spam-zipmap.onnx' }, ['spam', 'ham'], items);
    expect(zipped.map((output) => output.value)).toEqual(reference.labels);
    zipped.forEach((output, item) => {
      expect(
        Math.abs(output.probabilities!.spam! - reference.probabilities![item]![1]!),
      ).toBeLessThan(1e-5);
    });
  });

  it('maps integer classes of a tabular model to the declared labels and reports missing fields', async () => {
    const rows = [
      [100, 1],
      [800, 5],
      [550, 3],
    ];
    const reference = referencePredictions({ model: join(dir, 'tabular.onnx'), rows });
    const outputs = await score(
      { model: 'tabular.onnx', numeric_fields: ['duration_seconds', 'holds'] },
      ['short', 'long'],
      [
        ...rows.map(([duration, holds]) => ({
          metadata: { duration_seconds: duration, holds: String(holds) },
        })),
        { metadata: { duration_seconds: 300 } },
      ],
    );
    expect(outputs.slice(0, 3).map((output) => output.value)).toEqual(
      reference.labels!.map((label) => (label === '1' ? 'long' : 'short')),
    );
    outputs.slice(0, 3).forEach((output, item) => {
      expect(
        Math.abs(output.probabilities!.long! - reference.probabilities![item]![1]!),
      ).toBeLessThan(1e-5);
    });
    expect(outputs[3]).toMatchObject({
      status: 'error',
      error: { message: expect.stringContaining('metadata field "holds" is missing') },
    });
  });

  it('refuses at load a model whose inputs or classes do not match, naming expected and actual', async () => {
    const failure = (settings: Record<string, unknown>, labels = ['spam', 'ham']) =>
      Promise.resolve(
        onnxClassifierFactory.create(onnxSettingsSchema.parse(settings), env(labels)),
      ).then(
        () => undefined,
        (error: unknown) => error as InvalidConfigError,
      );
    let error = await failure({ model: 'spam.onnx', input_name: 'message' });
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error!.message).toContain(
      'has no input "message"; its inputs are [text: string [?, 1]]',
    );
    error = await failure({ model: 'spam.onnx', input: 'tabular', numeric_fields: ['length'] });
    expect(error!.message).toMatch(
      /expects inputs \[text: string \[\?, 1\]\], but this score gives input: float32 \[batch, 1\] from numeric_fields/,
    );
    error = await failure({ model: 'tabular.onnx', input: 'tokens', tokenizer: 'x.json' });
    expect(error!.message).toMatch(
      /expects inputs \[X: float32 \[\?, 2\]\], but this score gives input_ids/,
    );
    error = await failure({ model: 'spam.onnx' }, ['yes', 'no']);
    expect(error!.message).toContain('predicts [ham, spam] but the score declares [yes, no]');
    writeFileSync(join(dir, 'broken.onnx'), readFileSync(join(dir, 'spam.onnx')).subarray(0, 5000));
    error = await failure({ model: 'broken.onnx' });
    expect(error!.message).toMatch(
      /broken\.onnx is not a valid ONNX model \(truncated protobuf field\)/,
    );
    error = await failure({ model: 'nowhere.onnx' });
    expect(error!.message).toMatch(/nowhere\.onnx not found/);
  });

  it('says what to install when onnxruntime-node is missing', async () => {
    setOnnxRuntimeLoader(() =>
      import('onnxruntime-node-not-installed' as string).catch((error: unknown) => {
        throw new MissingDependencyError(
          'onnxruntime-node',
          'onnx scores need onnxruntime-node; install it with: npm install onnxruntime-node',
          { cause: error },
        );
      }),
    );
    try {
      await expect(onnxRuntime()).rejects.toThrow(/install it with: npm install onnxruntime-node/);
    } finally {
      setOnnxRuntimeLoader(async () => {
        const module = await import('onnxruntime-node');
        return module;
      });
    }
  });

  it('runs a tokenized encoder with mean pooling and a head like Python (all-MiniLM-L6-v2 int8)', async () => {
    const { model, tokenizer } = miniLm();
    runScript('train_embedding_head.py', [
      model,
      tokenizer,
      join(fixtures, 'banking77-300.csv'),
      'text',
      'category',
      join(dir, 'head.onnx'),
    ]);
    const texts = readFileSync(join(fixtures, 'banking77-300.csv'), 'utf8')
      .split('\n')
      .slice(1, 41)
      .map((line) => line.replace(/,[a-z_]+$/, '').replace(/^"|"$/g, ''));
    texts.push('a very long message '.repeat(200));
    const reference = referencePredictions({
      model,
      tokenizer,
      head: join(dir, 'head.onnx'),
      texts,
      max_length: 256,
    });
    const classes = [
      ...new Set(
        readFileSync(join(fixtures, 'banking77-300.csv'), 'utf8')
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((line) => line.slice(line.lastIndexOf(',') + 1)),
      ),
    ].sort();
    const outputs = await score(
      { model, tokenizer, head: 'head.onnx', batch_size: 16 },
      classes,
      texts.map((text) => ({ text })),
    );
    expectParity(outputs, reference, classes);
  }, 900_000);
});
