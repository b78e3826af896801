// Relevance filters on the call-center example's longest calls: tokens sent vs accuracy.
//
//   node bench/relevance.mjs [calls=20] [model]
//
// One `llm/graph` (a single intent node, 8 task types, chunked at 200 tokens, majority of the
// chunks) runs three times over the same calls: on the whole transcript (none), on the caller's
// turns around task words (words: the `window` processor, fuzzy, one turn either side), and on
// the 4 turns closest in meaning to the task descriptions (meaning: the `semantic` processor,
// all-MiniLM-L6-v2 int8). Prints one row per mode: calls, LLM calls, input tokens per item,
// accuracy against the gold task type (counted here from results.jsonl and checked against
// metrics.json). Default model: the local Gemma 3 270M (scripts/fetch-gemma.sh); a hosted one:
//   OPENAI_API_KEY=... node bench/relevance.mjs 42 gpt-4o-mini
// (any OpenAI-compatible server: set OPENAI_BASE_URL too).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as llm } from '@plexus/classifier-llm';
import { evaluate, parseScorecard } from '@plexus/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[2] ?? 20);
const gemma = join(root, '.cache/models/gemma/gemma-3-270m-q4_k_m.gguf');
const model = process.argv[3] ?? gemma;
const minilm = join(root, '.cache/models/minilm');
if (model === gemma) execFileSync(join(root, 'scripts/fetch-gemma.sh'), [dirname(gemma)]);
execFileSync(join(root, 'scripts/fetch-minilm.sh'), [minilm]);

const tasks = {
  'check balance': 'the caller wants to know the balance of an account',
  'get branch hours': 'the caller asks when the branch is open or closes',
  'order checks': 'the caller wants to order new checks or a checkbook',
  'pay bill': 'the caller wants to pay a bill',
  'replace card': 'the caller lost a card or needs a new card',
  'reset password': 'the caller cannot log in and needs a new password',
  'schedule appointment': 'the caller wants to schedule an appointment',
  'transfer money': 'the caller wants to move money between accounts',
};
const words = [
  'balance',
  'branch',
  'hours',
  'open',
  'close',
  'checks',
  'checkbook',
  'bill',
  'pay',
  'card',
  'lost',
  'stolen',
  'password',
  'log in',
  'appointment',
  'schedule',
  'transfer',
  'money',
];
const modes = {
  none: '[]',
  words: `[{ type: window, keywords: ${JSON.stringify(words)}, fuzzy: { threshold: 85 }, speakers: [caller], turns: 1 }]`,
  meaning: `[{ type: semantic, queries: ${JSON.stringify(Object.values(tasks))}, top_k: 4, model: ${minilm}/model.onnx, tokenizer: ${minilm}/tokenizer.json }]`,
};

const folder = mkdtempSync(join(tmpdir(), 'plexus-relevance-'));
const calls = readFileSync(join(root, 'examples/call-center-qa/data/test.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))
  .sort((left, right) => right.text.length - left.text.length)
  .slice(0, count);
const data = join(folder, 'long-calls.jsonl');
writeFileSync(data, `${calls.map((call) => JSON.stringify(call)).join('\n')}\n`);

const provider = model.endsWith('.gguf')
  ? `provider: llama-cpp\n    model: ${model}`
  : `model: ${model}${process.env.OPENAI_BASE_URL ? `\n    base_url: ${process.env.OPENAI_BASE_URL}` : ''}`;

function scorecard(processors) {
  return `name: Relevance
scores:
  - name: Intent
    class: llm/graph
    labels: ${JSON.stringify(Object.keys(tasks))}
    label_column: task_type
    ${provider}
    max_tokens: 60
    chunking: { max_tokens: 200, combine: majority }
    processors: ${processors}
    nodes:
      - name: intent
        type: classifier
        labels: ${JSON.stringify(Object.keys(tasks))}
        prompt: |
          A caller phoned their bank. What did the caller want to do?

          {{ text }}
`;
}

console.log(`${calls.length} calls (the longest of test.jsonl), model ${model}`);
console.log('| relevance | calls | LLM calls | input tokens / item | accuracy | wall (s) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [mode, processors] of Object.entries(modes)) {
  const card = await parseScorecard(scorecard(processors), {
    file: join(folder, `${mode}.yaml`),
    plugins: [llm],
    cacheDir: join(folder, 'cache'),
    searchFrom: [join(root, 'bench')],
  });
  const started = performance.now();
  const summary = await evaluate({
    scorecard: card,
    data,
    outDir: join(folder, mode),
    cache: false,
  });
  const seconds = (performance.now() - started) / 1000;
  const lines = readFileSync(join(folder, mode, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const gold = new Map(calls.map((call) => [call.id, call.task_type]));
  const right = lines.filter((line) => line.value === gold.get(line.item_id)).length;
  const tokens = lines.reduce((sum, line) => sum + (line.input_tokens ?? 0), 0);
  const llmCalls = lines.reduce((sum, line) => sum + (line.llm_calls ?? 0), 0);
  const metrics = JSON.parse(readFileSync(join(folder, mode, 'metrics.json'), 'utf8'));
  const accuracy = metrics.scores.Intent.accuracy_counting_errors;
  if (Math.abs(accuracy - right / lines.length) > 1e-9)
    throw new Error(
      `${mode}: metrics.json says ${accuracy}, results.jsonl ${right}/${lines.length}`,
    );
  console.log(
    `| ${mode} | ${lines.length} | ${llmCalls} | ${(tokens / lines.length).toFixed(1)} | ${right}/${lines.length} (${((100 * right) / lines.length).toFixed(0)}%) | ${seconds.toFixed(1)} |`,
  );
  if (summary.errors > 0)
    console.log(`  ${mode}: ${summary.errors} errors (see ${folder}/${mode})`);
}
