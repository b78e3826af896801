import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { errorMessage } from '../common/errors.js';
import { findPackage } from '../scorecard/package-lookup.js';
import { turnsOf } from './window-processor.js';

/** Turns texts into vectors (one per text, same width); a package such as classifier-onnx provides it. */
export interface TextEmbedder {
  /** Which model, for messages. */
  model: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** `semantic`: keep the turns or sentences closest in meaning to queries (relevance by meaning). */
export const semanticProcessorSchema = z
  .object({
    type: z.literal('semantic'),
    /** What is relevant: a question, or the labels' descriptions; a unit's similarity is its best. */
    queries: z.array(z.string().min(1)).min(1),
    /** Sentence-embedding ONNX model (e.g. all-MiniLM-L6-v2), relative to the scorecard. */
    model: z.string().min(1),
    /** Its tokenizer.json, relative to the scorecard. */
    tokenizer: z.string().min(1),
    /** What is kept or left out: whole `turns` (the default) or `sentences`. */
    unit: z.enum(['turns', 'sentences']).default('turns'),
    /** Keep the k most similar units. */
    top_k: z.number().int().positive().optional(),
    /** Keep units at least this similar (cosine, -1..1). */
    min_similarity: z.number().min(-1).max(1).optional(),
    /** Text used when no unit is similar enough: `empty` (the default) or the `full` text. */
    fallback: z.enum(['empty', 'full']).default('empty'),
    /** The package that runs the model (it exports `createEmbedder`); default classifier-onnx. */
    package: z.string().min(1).default('@plexus/classifier-onnx'),
  })
  .strict()
  .refine((config) => config.top_k !== undefined || config.min_similarity !== undefined, {
    message: 'set top_k, min_similarity or both',
    path: ['top_k'],
  });

export type SemanticConfig = z.output<typeof semanticProcessorSchema>;

/** Where a bound config's package is looked up (the scorecard's folder first). */
const searchFolders = new WeakMap<SemanticConfig, readonly string[]>();

/** The config with its model paths made absolute against the scorecard's folder. */
export function bindSemantic(config: SemanticConfig, baseDir: string): SemanticConfig {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const bound = { ...config, model: absolute(config.model), tokenizer: absolute(config.tokenizer) };
  searchFolders.set(bound, [baseDir, process.cwd()]);
  return bound;
}

/** What would fail at the first text, found at load: missing model files, a missing package. */
export function semanticProblems(config: SemanticConfig): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const field of ['model', 'tokenizer'] as const) {
    if (!existsSync(config[field]))
      problems.push({
        field,
        message: `${config[field]} not found: fix the path (relative to the scorecard) or fetch the model (scripts/fetch-minilm.sh DIR puts model.onnx and tokenizer.json in DIR)`,
      });
  }
  const folders = searchFolders.get(config) ?? [process.cwd()];
  if (!findPackage(config.package, folders)?.entry)
    problems.push({
      field: 'package',
      message: `package ${config.package} is not installed (or not built) near ${folders[0]}: npm install ${config.package}`,
    });
  return problems;
}

const embedders = new Map<string, Promise<TextEmbedder>>();

/** The config's embedder, created once per package and model, at its first use. */
function embedderOf(config: SemanticConfig): Promise<TextEmbedder> {
  const key = `${config.package}|${config.model}|${config.tokenizer}`;
  let embedder = embedders.get(key);
  if (!embedder) {
    embedder = loadEmbedder(config);
    embedder.catch(() => embedders.delete(key));
    embedders.set(key, embedder);
  }
  return embedder;
}

async function loadEmbedder(config: SemanticConfig): Promise<TextEmbedder> {
  const folders = searchFolders.get(config) ?? [process.cwd()];
  const found = findPackage(config.package, folders);
  if (!found?.entry)
    throw new Error(
      `semantic processor: package ${config.package} is not installed (or not built) near ${folders[0]}; install it (npm install ${config.package}) or set package`,
    );
  const module = (await import(pathToFileURL(found.entry).href)) as {
    createEmbedder?: (options: { model: string; tokenizer: string }) => Promise<TextEmbedder>;
  };
  if (typeof module.createEmbedder !== 'function')
    throw new Error(
      `semantic processor: package ${config.package} exports no createEmbedder; set package to one that does`,
    );
  try {
    return await module.createEmbedder({ model: config.model, tokenizer: config.tokenizer });
  } catch (error) {
    throw new Error(`semantic processor: ${errorMessage(error)}`);
  }
}

/** Embeddings per model and text, kept for the process (at most `cacheLimit`, oldest dropped). */
const vectors = new Map<string, Float32Array>();
const cacheLimit = 50_000;

async function embedCached(embedder: TextEmbedder, texts: readonly string[]) {
  const missing = [...new Set(texts.filter((text) => !vectors.has(`${embedder.model}\n${text}`)))];
  if (missing.length > 0) {
    const computed = await embedder.embed(missing);
    for (const [index, text] of missing.entries())
      vectors.set(`${embedder.model}\n${text}`, computed[index]!);
    for (const key of vectors.keys()) {
      if (vectors.size <= cacheLimit) break;
      vectors.delete(key);
    }
  }
  return texts.map((text) => vectors.get(`${embedder.model}\n${text}`)!);
}

/** Cosine similarity of two vectors. */
export function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    dot += left[index]! * right[index]!;
    leftNorm += left[index]! ** 2;
    rightNorm += right[index]! ** 2;
  }
  return dot / Math.max(Math.sqrt(leftNorm * rightNorm), 1e-12);
}

/** One unit of a transcript: a turn or a sentence of one, with its turn's place and prefix. */
interface Unit {
  turn: number;
  prefix: string;
  text: string;
}

function unitsOf(text: string, unit: SemanticConfig['unit']): Unit[] {
  return turnsOf(text).flatMap((turn, index) => {
    const parts =
      unit === 'turns'
        ? [turn.text.trim()]
        : turn.text.split(/(?<=[.!?])\s+/).map((part) => part.trim());
    return parts.filter(Boolean).map((part) => ({ turn: index, prefix: turn.prefix, text: part }));
  });
}

/** The units chosen (by similarity, then `top_k`), in the text's order. */
function chosenUnits(
  units: readonly Unit[],
  similarity: readonly number[],
  config: SemanticConfig,
) {
  let order = units.map((_, index) => index);
  if (config.min_similarity !== undefined)
    order = order.filter((index) => similarity[index]! >= config.min_similarity!);
  order.sort((left, right) => similarity[right]! - similarity[left]! || left - right);
  if (config.top_k !== undefined) order = order.slice(0, config.top_k);
  return order.sort((left, right) => left - right);
}

/**
 * The turns (or sentences) most similar to the queries, in their order: each kept turn on its line
 * with its `Speaker:` prefix, sentences of one turn on one line, `…` for what was left out.
 */
export async function semanticText(text: string, config: SemanticConfig): Promise<string> {
  const units = unitsOf(text, config.unit);
  if (units.length === 0) return config.fallback === 'full' ? text : '';
  const embedder = await embedderOf(config);
  const [queryVectors, unitVectors] = await Promise.all([
    embedCached(embedder, config.queries),
    embedCached(
      embedder,
      units.map((unit) => unit.text),
    ),
  ]);
  const similarity = unitVectors.map((vector) =>
    Math.max(...queryVectors.map((query) => cosine(vector, query))),
  );
  const kept = chosenUnits(units, similarity, config);
  if (kept.length === 0) return config.fallback === 'full' ? text : '';
  const lines: string[] = [];
  let previous = -1;
  for (const index of kept) {
    const unit = units[index]!;
    const gap = previous >= 0 && index !== previous + 1;
    if (previous >= 0 && unit.turn === units[previous]!.turn)
      lines[lines.length - 1] += `${gap ? ' … ' : ' '}${unit.text}`;
    else {
      if (gap) lines.push('…');
      lines.push(unit.prefix ? `${unit.prefix} ${unit.text}` : unit.text);
    }
    previous = index;
  }
  return lines.join('\n');
}
