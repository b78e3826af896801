import { basename } from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import {
  defineScoreFactory,
  hashValue,
  resolveModelPath,
  type ScoreEnvV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { buildFeeds, loadTokenizer, poolTokens } from './input-feeds.js';
import { type InputPlan, planInput } from './input-plan.js';
import { configError, loadStage, type ModelStage } from './model-stage.js';
import { onnxRuntime, type Tensor } from './onnx-runtime.js';
import { type OnnxSettings, onnxSettingsSchema } from './onnx-settings.js';
import { type Prediction, planOutputs, readPredictions } from './output-plan.js';

interface HeadPlan {
  stage: ModelStage;
  /** Encoder output that feeds the head: [batch, tokens, hidden] (pooled here) or [batch, hidden]. */
  encoderOutput: string;
  input: string;
}

async function planHead(
  main: ModelStage,
  settings: OnnxSettings,
  env: ScoreEnvV1,
  options: { intraOpThreads: number; interOpThreads: number },
): Promise<HeadPlan | undefined> {
  if (!settings.head) return undefined;
  const stage = await loadStage(
    await resolveModelPath(settings.head, env, 'head'),
    'head',
    options,
  );
  const encoderOutput = main.outputs.find(
    (output) =>
      output.type === 'float32' && (output.shape.length === 3 || output.shape.length === 2),
  );
  if (!encoderOutput)
    throw configError(
      'head',
      `model file ${main.path} has no float [batch, tokens, hidden] or [batch, hidden] output to feed the head`,
    );
  const input = stage.inputs.find((value) => value.type === 'float32');
  if (!input || stage.inputs.length !== 1)
    throw configError(
      'head',
      `head ${stage.path} must take one float32 [batch, hidden] input; it takes ${stage.inputs.map((value) => `${value.name}: ${value.type}`).join(', ')}`,
    );
  return { stage, encoderOutput: encoderOutput.name, input: input.name };
}

function chooseValue(
  prediction: Prediction,
  settings: OnnxSettings,
  labels: readonly string[],
): string | undefined {
  const probabilities = prediction.probabilities;
  if (settings.threshold !== undefined && probabilities) {
    const positive = settings.positive_label ?? labels[0]!;
    return (probabilities[positive] ?? 0) >= settings.threshold
      ? positive
      : labels.find((label) => label !== positive);
  }
  if (prediction.label !== undefined) return prediction.label;
  if (!probabilities) return undefined;
  return Object.entries(probabilities).reduce((best, entry) =>
    entry[1] > best[1] ? entry : best,
  )[0];
}

/** `onnx/classifier`: an ONNX model (text pipeline, tokenized encoder with a head, or tabular) as a score. */
export const onnxClassifierFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'classifier',
  settingsSchema: onnxSettingsSchema,
  needs: (settings) => ({
    fields: settings.numeric_fields.map((name, index) => ({
      path: `numeric_fields.${index}`,
      name,
    })),
  }),
  async create(settings, env) {
    const options = {
      intraOpThreads: settings.intra_op_threads,
      interOpThreads: settings.inter_op_threads,
    };
    const main = await loadStage(
      await resolveModelPath(settings.model, env, 'model'),
      'model',
      options,
    );
    const input: InputPlan = planInput(main, settings, 'model');
    let tokens: { tokenizer: Tokenizer; maxLength: number } | undefined;
    let tokenizerHash = '';
    if (input.kind === 'tokens') {
      if (!settings.tokenizer)
        throw configError(
          'tokenizer',
          `model file ${main.path} takes token ids: set tokenizer to its tokenizer.json`,
        );
      const path = await resolveModelPath(settings.tokenizer, env, 'tokenizer');
      const loaded = await loadTokenizer(path, 'tokenizer');
      tokens = { tokenizer: loaded.tokenizer, maxLength: settings.max_length };
      tokenizerHash = loaded.hash;
    }
    const head = await planHead(main, settings, env, options);
    const outputs = planOutputs(head?.stage ?? main, settings, env.labels, head ? 'head' : 'model');
    const labels = env.labels.length > 0 ? env.labels : outputs.columnLabels;
    if (
      settings.threshold !== undefined &&
      (labels.length !== 2 || !labels.includes(settings.positive_label ?? labels[0]!))
    )
      throw configError(
        'threshold',
        `threshold needs two labels and positive_label among them (labels: ${labels.join(', ')})`,
      );
    if (
      input.kind === 'tokens' &&
      !head &&
      main.outputs.every((output) => output.shape.length !== 2)
    )
      throw configError(
        'head',
        `model file ${main.path} outputs token vectors, not classes: set head to a classifier over the pooled embedding`,
      );
    const runtime = await onnxRuntime();
    const modelName = basename(main.path);

    async function predict(feeds: Record<string, Tensor>, count: number): Promise<Prediction[]> {
      // All outputs: onnxruntime-node 1.23 names fetched subsets by position, not by name.
      let results = await main.session.run(feeds);
      if (head) {
        const hidden = results[head.encoderOutput]!;
        const pooled =
          hidden.dims.length === 3
            ? poolTokens(
                hidden,
                input.kind === 'tokens' && input.mask ? feeds[input.mask] : undefined,
                {
                  pooling: settings.pooling,
                  normalize: settings.normalize_embeddings,
                },
              )
            : { data: hidden.data as Float32Array, width: Number(hidden.dims[1]) };
        results = await head.stage.session.run({
          [head.input]: new runtime.Tensor('float32', pooled.data, [count, pooled.width]),
        });
      }
      return readPredictions(outputs, results, count);
    }

    return {
      specificationVersion: 'v1',
      kind: 'onnx/classifier',
      name: env.name,
      labels,
      fingerprint: hashValue({
        kind: 'onnx/classifier',
        settings,
        model: main.hash,
        head: head?.stage.hash,
        tokenizer: tokenizerHash,
      }),
      model: head ? `${modelName} + ${basename(head.stage.path)}` : modelName,
      maxBatchSize: settings.batch_size,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        const { feeds, fed, failures } = buildFeeds(runtime, input, items, tokens);
        const predictions = fed.length > 0 ? await predict(feeds, fed.length) : [];
        const outputsByItem: ScoreOutputV1[] = items.map((_, index) => ({
          value: null,
          status: 'error',
          error: {
            message: `${failures.get(index) ?? 'not scored'}; the model needs numeric_fields on every item`,
            code: 'missing_feature',
            retryable: false,
          },
        }));
        fed.forEach((position, row) => {
          const prediction = predictions[row]!;
          const value = chooseValue(prediction, settings, labels);
          if (value === undefined || !labels.includes(value)) {
            outputsByItem[position] = {
              value: null,
              status: 'error',
              error: {
                message: `model ${modelName} answered "${value}", which is not a declared label (${labels.join(', ')}); set class_labels`,
                code: 'invalid_label',
                retryable: false,
              },
            };
            return;
          }
          const confidence = prediction.probabilities?.[value];
          const output: ScoreOutputV1 = {
            value,
            status: 'ok',
            explanation: `${value}${confidence === undefined ? '' : ` (p=${confidence.toFixed(3)})`} from ${modelName}`,
          };
          if (confidence !== undefined) output.confidence = confidence;
          if (prediction.probabilities) output.probabilities = prediction.probabilities;
          outputsByItem[position] = output;
        });
        return outputsByItem;
      },
    };
  },
});
