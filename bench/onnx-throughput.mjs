// onnx/classifier throughput vs a bare InferenceSession.run loop on the same batches.
// Models: the scikit-learn TF-IDF spam pipeline (train_tfidf.py) and all-MiniLM-L6-v2 int8 with
// a Banking77 head (train_embedding_head.py), both made here from PyPI packages.
// Usage: node onnx-throughput.mjs [runs]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onnxClassifierFactory, onnxRuntime, onnxSettingsSchema } from '@plexus/classifier-onnx';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const data = process.env.PLEXUS_SHARED_DATA ?? join(root, '../shared/data');
const runs = Number(process.argv[2] ?? 5);
const work = join(root, '.cache/bench-onnx');
mkdirSync(work, { recursive: true });
const python = execFileSync(
  join(root, 'scripts/python-venv.sh'),
  ['onnx', '-r', join(root, 'packages/classifier-onnx/scripts/requirements.txt')],
  { encoding: 'utf8' },
).trim();
const scripts = join(root, 'packages/classifier-onnx/scripts');
const minilm = join(root, '.cache/models/minilm');
execFileSync(join(root, 'scripts/fetch-minilm.sh'), [minilm]);
if (!existsSync(join(work, 'spam.onnx')))
  execFileSync(
    python,
    [
      join(scripts, 'train_tfidf.py'),
      join(data, 'sms-spam/sms.csv'),
      join(work, 'spam.onnx'),
      '--skip-every',
      '5',
    ],
    { cwd: scripts },
  );
if (!existsSync(join(work, 'head.onnx')))
  execFileSync(
    python,
    [
      join(scripts, 'train_embedding_head.py'),
      join(minilm, 'model.onnx'),
      join(minilm, 'tokenizer.json'),
      join(data, 'banking77/train.csv'),
      'text',
      'category',
      join(work, 'head.onnx'),
      '--limit',
      '3000',
    ],
    { cwd: scripts },
  );

const texts = readFileSync(join(data, 'sms-spam/sms.csv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => line.replace(/^sms-\d+,/, '').replace(/,(ham|spam)$/, ''));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(name, settings, labels, count, batchSize, bareRun) {
  const items = Array.from({ length: count }, (_, index) => ({
    id: String(index),
    text: texts[index % texts.length],
    metadata: {},
    results: {},
  }));
  const batches = [];
  for (let start = 0; start < items.length; start += batchSize)
    batches.push(items.slice(start, start + batchSize));
  const score = await onnxClassifierFactory.create(
    onnxSettingsSchema.parse({ ...settings, batch_size: batchSize }),
    { name, labels, baseDir: work, cacheDir: work, dependsOn: [] },
  );
  const signal = new AbortController().signal;
  const bare = [];
  const scored = [];
  for (let run = 0; run < runs; run += 1) {
    let started = performance.now();
    for (const batch of batches) await bareRun(batch.map((item) => item.text));
    bare.push(count / ((performance.now() - started) / 1000));
    started = performance.now();
    for (const batch of batches)
      await score.doScore({ items: batch, signal, context: { scorecard: 'bench' } });
    scored.push(count / ((performance.now() - started) / 1000));
  }
  const ratio = median(scored) / median(bare);
  console.log(
    `| ${name} | ${count} | ${batchSize} | ${median(bare).toFixed(0)} | ${median(scored).toFixed(0)} | ${ratio.toFixed(2)} |`,
  );
}

const ort = await onnxRuntime();
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
const spam = await ort.InferenceSession.create(join(work, 'spam.onnx'), options);
await measure(
  'TF-IDF + LR (string input)',
  { model: 'spam.onnx' },
  ['spam', 'ham'],
  20_000,
  64,
  (batch) => spam.run({ text: new ort.Tensor('string', batch, [batch.length, 1]) }),
);

// The bare loop for the encoder does what any caller must: tokenize, pad, run, pool, run the head.
const { Tokenizer } = await import('@huggingface/tokenizers');
const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(join(minilm, 'tokenizer.json'), 'utf8')),
  {},
);
const encoder = await ort.InferenceSession.create(join(minilm, 'model.onnx'), options);
const head = await ort.InferenceSession.create(join(work, 'head.onnx'), options);
const classes = JSON.parse(readFileSync(join(data, 'banking77/categories.json'), 'utf8'));
await measure(
  'MiniLM int8 + head (tokens)',
  {
    model: join(minilm, 'model.onnx'),
    tokenizer: join(minilm, 'tokenizer.json'),
    head: 'head.onnx',
  },
  classes,
  512,
  32,
  async (batch) => {
    const encoded = batch.map((text) => tokenizer.encode(text).ids.slice(0, 256));
    const width = Math.max(...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(batch.length * width);
    const mask = new BigInt64Array(batch.length * width);
    for (const [item, row] of encoded.entries()) {
      for (const [position, id] of row.entries()) {
        ids[item * width + position] = BigInt(id);
        mask[item * width + position] = 1n;
      }
    }
    const dims = [batch.length, width];
    const out = await encoder.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
    });
    const hidden = out.last_hidden_state.data;
    const pooled = new Float32Array(batch.length * 384);
    for (let item = 0; item < batch.length; item += 1) {
      let count = 0;
      for (let token = 0; token < width; token += 1) {
        if (mask[item * width + token] === 0n) continue;
        count += 1;
        for (let d = 0; d < 384; d += 1)
          pooled[item * 384 + d] += hidden[(item * width + token) * 384 + d];
      }
      let norm = 0;
      for (let d = 0; d < 384; d += 1) norm += (pooled[item * 384 + d] / count) ** 2;
      for (let d = 0; d < 384; d += 1)
        pooled[item * 384 + d] = pooled[item * 384 + d] / count / Math.sqrt(norm);
    }
    return head.run({ X: new ort.Tensor('float32', pooled, [batch.length, 384]) });
  },
);
