import {
  errorMessage,
  matchLabel,
  nameRecord,
  redactedSlice,
  type ScoreItemV1,
  type ScoreOutputV1,
  stopsRun,
} from '@plexus/core';
import {
  type Chunking,
  type ChunkVote,
  combinedExplanation,
  combineLabels,
  leftOutBecause,
  splitTokens,
} from './chunking.js';
import type { FailedNode } from './graph-node.js';
import type { PlannedNode } from './graph-plan.js';
import type { GraphSettings } from './graph-settings.js';
import { addUsage, emptyUsage, type NodeUsage, nodeUsage, type UsageTally } from './usage-tally.js';

/** What the chunk logic needs of a graph run. */
export interface ChunkedRun {
  item: ScoreItemV1;
  settings: GraphSettings;
  signal: AbortSignal;
  results: Record<string, unknown>;
  /** The item's calls, tokens and cost. */
  usage: UsageTally;
  /** The node that failed, for the error's trace. */
  failed?: FailedNode;
}

/** What a node's trace step holds that chunking reads. */
export interface ChunkedStep {
  node: string;
  value: string;
  explanation: string;
  quote?: string;
  usage?: NodeUsage;
}

/** The characters of the text a score saw kept in its trace; longer texts keep their start. */
export const traceTextLimit = 4000;

/** The text a score saw, for its trace: whole up to `traceTextLimit` characters, else its start. */
export function seenText(text: string): { chars: number; text: string; truncated?: true } {
  return text.length <= traceTextLimit
    ? { chars: text.length, text }
    : // Cut around a secret, not through it (the line's redaction finds secrets whole only).
      { chars: text.length, text: redactedSlice(text, 0, traceTextLimit), truncated: true };
}

// An item's chunks, cut once for every node that runs per chunk.
const chunkTexts = new WeakMap<ScoreItemV1, Promise<string[]>>();

function chunksOf(item: ScoreItemV1, chunking: Chunking): Promise<string[]> {
  let texts = chunkTexts.get(item);
  if (!texts) {
    texts = splitTokens(item.text, chunking.max_tokens, chunking.overlap);
    chunkTexts.set(item, texts);
  }
  return texts;
}

/**
 * A `per_chunk` node: run once per chunk of the item's text (all at once; the client's limits
 * apply), its labels combined by the node's `combine` rule (default `chunking.combine`). A chunk
 * whose node failed is left out of the vote and kept in the trace with its error; when every
 * chunk failed, the first error is thrown.
 */
export async function runNodePerChunk<Run extends ChunkedRun>(
  plan: PlannedNode,
  run: Run,
  runNode: (plan: PlannedNode, run: Run) => Promise<ChunkedStep>,
): Promise<ChunkedStep & { chunks: unknown[]; combine: string }> {
  const chunking = run.settings.chunking!;
  const node = plan.node as Extract<PlannedNode['node'], { per_chunk?: boolean }>;
  const rule = node.combine ?? chunking.combine;
  const positive = matchLabel(node.positive_label ?? plan.labels[0]!, plan.labels)!;
  const texts = await chunksOf(run.item, chunking);
  // Each chunk's calls, failed ones too: the node's usage adds up to what the item spent.
  const spent = emptyUsage();
  const settled: (ChunkedStep | Error)[] = await Promise.all(
    texts.map((text) =>
      runNode(plan, { ...run, item: { ...run.item, text }, usage: spent }).catch(
        (error: unknown) => {
          // A stopping run (a chunk not started) leaves the whole item unscored, not a partial vote.
          if (run.signal.aborted || stopsRun(error) || notStarted(error)) throw error;
          return error instanceof Error ? error : new Error(String(error));
        },
      ),
    ),
  ).finally(() => addUsage(run.usage, spent));
  const steps = settled.filter((step): step is ChunkedStep => !(step instanceof Error));
  const value = combineLabels(
    steps.map((step) => step.value),
    rule,
    positive,
  );
  if (value === undefined) {
    // No chunk gave a value: the trace names the node and each chunk's error.
    const chunks = settled.map((step, chunk) => ({ chunk, error: errorMessage(step) }));
    run.failed = { node: node.name, prompts: [], chunks };
    throw settled[0];
  }
  const chosen = steps.find((step) => step.value === value);
  const asked = settled.some((step) => step instanceof Error || step.usage !== undefined);
  const usage = asked ? nodeUsage(spent) : undefined;
  return {
    node: node.name,
    value,
    explanation: combinedExplanation(
      rule,
      settled.map(
        (step): ChunkVote =>
          step instanceof Error
            ? { leftOut: leftOutBecause((step as { code?: unknown }).code ?? 'call_failed') }
            : { value: step.value, explanation: step.explanation },
      ),
      value,
    ),
    ...(chosen?.quote === undefined ? {} : { quote: chosen.quote }),
    combine: rule,
    chunks: settled.map((step, chunk) =>
      step instanceof Error
        ? { chunk, error: errorMessage(step) }
        : { chunk, ...step, node: undefined },
    ),
    ...(usage ? { usage } : {}),
  };
}

/** A call the stopping run did not send (code `not_started`, see `ScoreContextV1.drain`). */
function notStarted(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'not_started';
}

/**
 * The whole tree once per chunk (each chunk with its own node answers), the chunks' values
 * combined by `chunking.combine`. The trace keeps every chunk's path; when no chunk ends with a
 * value, the first chunk's error is the output.
 */
export async function runGraphPerChunk<Run extends ChunkedRun>(
  run: Run,
  scoreLabels: readonly string[],
  runGraph: (run: Run) => Promise<ScoreOutputV1>,
): Promise<ScoreOutputV1> {
  const chunking = run.settings.chunking!;
  const positive = matchLabel(chunking.positive_label ?? scoreLabels[0]!, scoreLabels)!;
  const texts = await chunksOf(run.item, chunking);
  const outputs = await Promise.all(
    texts.map((text) => runGraph({ ...run, item: { ...run.item, text }, results: nameRecord() })),
  );
  const stopping = outputs.find((output) => output.error?.code === 'not_started');
  if (stopping) return stopping;
  const chunks = outputs.map((output, chunk) => ({
    chunk,
    value: output.value,
    status: output.status,
    explanation: output.explanation ?? output.error?.message,
    ...(output.trace as object),
  }));
  const values = outputs.flatMap((output) =>
    output.status === 'ok' && typeof output.value === 'string' ? [output.value] : [],
  );
  const value = combineLabels(values, chunking.combine, positive);
  const trace = { combine: chunking.combine, chunks };
  if (value === undefined) return { ...outputs[0]!, trace };
  return {
    value,
    status: 'ok',
    explanation: combinedExplanation(
      chunking.combine,
      outputs.map(
        (output): ChunkVote =>
          output.status === 'ok' && typeof output.value === 'string'
            ? { value: output.value, explanation: output.explanation }
            : { leftOut: leftOutBecause(output.error?.code ?? output.status) },
      ),
      value,
    ),
    usage: outputs.at(-1)!.usage,
    trace,
  };
}

/** Whether the graph runs per chunk as a whole (chunking set and no node runs per chunk). */
export function wholeTreePerChunk(settings: GraphSettings): boolean {
  return (
    settings.chunking !== undefined &&
    !settings.nodes.some((node) => node.type !== 'logic' && node.per_chunk)
  );
}
