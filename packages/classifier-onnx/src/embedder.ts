import type { TextEmbedder } from '@plexus/core';
import { buildFeeds, loadTokenizer, poolTokens } from './input-feeds.js';
import { planInput } from './input-plan.js';
import { loadStage } from './model-stage.js';
import { onnxRuntime } from './onnx-runtime.js';
import { onnxSettingsSchema } from './onnx-settings.js';

/** Texts embedded per model run. */
const batchSize = 32;

/**
 * A sentence-embedding model (a MiniLM-style encoder with a tokenizer.json) as core's
 * `TextEmbedder`: mean-pooled, L2-normalised vectors, one per text. Core's `semantic` processor
 * imports this package and calls `createEmbedder` at its first use, so core never loads
 * onnxruntime itself.
 */
export async function createEmbedder(options: {
  model: string;
  tokenizer: string;
  maxLength?: number;
}): Promise<TextEmbedder> {
  const settings = onnxSettingsSchema.parse({
    model: options.model,
    tokenizer: options.tokenizer,
    input: 'tokens',
    max_length: options.maxLength ?? 256,
  });
  const stage = await loadStage(options.model, 'model', { intraOpThreads: 1, interOpThreads: 1 });
  const input = planInput(stage, settings, 'model');
  const { tokenizer } = await loadTokenizer(options.tokenizer, 'tokenizer');
  const runtime = await onnxRuntime();
  const hiddenOutput =
    stage.outputs.find((output) => output.shape.length === 3) ?? stage.outputs[0]!;
  const embedBatch = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const items = texts.map((text) => ({ text, metadata: {} }));
    const { feeds } = buildFeeds(runtime, input, items, {
      tokenizer,
      maxLength: settings.max_length,
    });
    const results = await stage.session.run(feeds);
    const mask = input.kind === 'tokens' && input.mask ? feeds[input.mask] : undefined;
    const pooled = poolTokens(results[hiddenOutput.name]!, mask, {
      pooling: 'mean',
      normalize: true,
    });
    return texts.map((_, row) => pooled.data.slice(row * pooled.width, (row + 1) * pooled.width));
  };
  return {
    model: `${stage.path} (${stage.hash.slice(0, 12)})`,
    async embed(texts) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize)
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize))));
      return vectors;
    },
  };
}
