import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { errorMessage, numericField, sha256 } from '@plexus/core';
import type { InputPlan } from './input-plan.js';
import { configError } from './model-stage.js';
import type { OnnxRuntimeModule, Tensor } from './onnx-runtime.js';

/** What a score item offers the model. */
export interface FeedItem {
  text: string;
  metadata: Readonly<Record<string, unknown>>;
}

/** Feeds for the items that could be encoded, and why the others could not. */
export interface Feeds {
  feeds: Record<string, Tensor>;
  /** Positions (in the given items) that are in the feeds, in order. */
  fed: number[];
  failures: Map<number, string>;
}

/** Loads a Hugging Face tokenizer.json; `hash` is its SHA-256 (part of the score's fingerprint). */
export async function loadTokenizer(
  path: string,
  at: string,
): Promise<{ tokenizer: Tokenizer; hash: string }> {
  let text: string;
  let json: unknown;
  try {
    text = await readFile(path, 'utf8');
    json = JSON.parse(text);
  } catch (error) {
    throw configError(at, `tokenizer ${path} could not be read as JSON (${errorMessage(error)})`);
  }
  try {
    return { tokenizer: new Tokenizer(json as object, {}), hash: sha256(text) };
  } catch (error) {
    throw configError(
      at,
      `tokenizer ${path} is not a Hugging Face tokenizer.json (${errorMessage(error)})`,
    );
  }
}

/**
 * A character beyond Latin-1: a text without any (a one-byte string, as most texts are) is in
 * Unicode NFC as it is; others are normalized (0.5 us a 600-character text).
 */
const beyondLatin1 = /[\u0100-\uffff]/;

/**
 * A text in NFC, as a text model's vocabulary was learnt: `thé` written with e and a combining
 * accent (a Mac, a PDF, an ASR system) gave the graph's tokenizer other tokens, none in it.
 */
function composedText(text: string): string {
  return beyondLatin1.test(text) ? text.normalize('NFC') : text;
}

/** Token ids of a text, truncated to `maxLength` keeping the final special token. */
export function encodeTokens(tokenizer: Tokenizer, text: string, maxLength: number): number[] {
  const ids = tokenizer.encode(text).ids;
  if (ids.length <= maxLength) return ids;
  return [...ids.slice(0, maxLength - 1), ids[ids.length - 1]!];
}

/** Builds one batch's input tensors. */
export function buildFeeds(
  runtime: OnnxRuntimeModule,
  plan: InputPlan,
  items: readonly FeedItem[],
  tokens?: { tokenizer: Tokenizer; maxLength: number },
): Feeds {
  const failures = new Map<number, string>();
  if (plan.kind === 'text') {
    const texts = items.map((item) => composedText(item.text));
    const dims = plan.rank === 1 ? [texts.length] : [texts.length, 1];
    return {
      feeds: { [plan.name]: new runtime.Tensor('string', texts, dims) },
      fed: items.map((_, index) => index),
      failures,
    };
  }
  if (plan.kind === 'tabular') {
    const rows: number[][] = [];
    const fed: number[] = [];
    items.forEach((item, index) => {
      const values = plan.fields.map((field) => numericField(item.metadata, field));
      const missing = values.find((value) => 'problem' in value);
      if (missing && 'problem' in missing) failures.set(index, missing.problem);
      else {
        rows.push(values.map((value) => ('value' in value ? value.value : 0)));
        fed.push(index);
      }
    });
    const flat = rows.flat();
    const data = plan.type === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
    return {
      feeds: {
        [plan.name]: new runtime.Tensor(plan.type, data, [rows.length, plan.fields.length]),
      },
      fed,
      failures,
    };
  }
  const encoded = items.map((item) =>
    encodeTokens(tokens!.tokenizer, item.text, tokens!.maxLength),
  );
  const width = Math.max(1, ...encoded.map((ids) => ids.length));
  const ids = new BigInt64Array(items.length * width);
  const mask = new BigInt64Array(items.length * width);
  encoded.forEach((row, item) => {
    row.forEach((id, position) => {
      ids[item * width + position] = BigInt(id);
      mask[item * width + position] = 1n;
    });
  });
  const dims = [items.length, width];
  const feeds: Record<string, Tensor> = { [plan.ids]: new runtime.Tensor('int64', ids, dims) };
  if (plan.mask) feeds[plan.mask] = new runtime.Tensor('int64', mask, dims);
  if (plan.typeIds)
    feeds[plan.typeIds] = new runtime.Tensor('int64', new BigInt64Array(ids.length), dims);
  return { feeds, fed: items.map((_, index) => index), failures };
}

/** Mean (over real tokens) or first-token pooling of [batch, tokens, hidden], optionally L2-normalised. */
export function poolTokens(
  hidden: Tensor,
  mask: Tensor | undefined,
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
): { data: Float32Array; width: number } {
  const [batch, length, width] = hidden.dims.map(Number) as [number, number, number];
  const data = hidden.data as Float32Array;
  const maskData = mask?.data as BigInt64Array | undefined;
  const pooled = new Float32Array(batch * width);
  for (let item = 0; item < batch; item += 1) {
    const sums = new Float64Array(width);
    let count = 0;
    const last = options.pooling === 'cls' ? 1 : length;
    for (let token = 0; token < last; token += 1) {
      if (maskData && maskData[item * length + token] === 0n) continue;
      count += 1;
      const offset = (item * length + token) * width;
      for (let dimension = 0; dimension < width; dimension += 1)
        sums[dimension]! += data[offset + dimension]!;
    }
    let norm = 0;
    for (let dimension = 0; dimension < width; dimension += 1) {
      sums[dimension] = sums[dimension]! / Math.max(1, count);
      norm += sums[dimension]! ** 2;
    }
    const scale = options.normalize ? 1 / Math.max(Math.sqrt(norm), 1e-12) : 1;
    for (let dimension = 0; dimension < width; dimension += 1)
      pooled[item * width + dimension] = sums[dimension]! * scale;
  }
  return { data: pooled, width };
}
