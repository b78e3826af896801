import type { EngineResult } from '../engine/engine-result.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { type LabelNormalization, normalizedLabel } from '../text/labels.js';

/** One line of `results.jsonl`: one item and one score. */
export interface ResultLine {
  item_id: string;
  score: string;
  value: string | null;
  status: ScoreOutputV1['status'];
  /** Gold label, when the dataset has one. */
  label: string | null;
  /** Whether value equals the gold label (normalised); null without gold or without a value. */
  correct: boolean | null;
  explanation: string | null;
  confidence: number | null;
  probabilities?: Record<string, number>;
  /** US dollars; null when calls were made at an unknown price (never 0 for unknown). */
  cost_usd: number | null;
  /** With `cost_usd` null: the model without a price (`openai gpt-5-mini`). */
  unpriced_model?: string;
  /** Tokens counted; with `tokens_unknown`, those of the calls that reported them only. */
  input_tokens: number;
  output_tokens: number;
  /** Some call's tokens are not known (no usage reported, a hedged call's aborted attempt). */
  tokens_unknown?: true;
  llm_calls: number;
  /** Calls repeated after retryable failures. */
  retries: number;
  latency_ms: number;
  cached: boolean;
  error: { message: string; code?: string; retryable?: boolean } | null;
  trace?: unknown;
  /** The item's text, its first characters, on the item's first line (see `LineStorageOptions.itemTextChars`). */
  text?: string;
  /** With `text` cut: the whole text's length in characters. */
  text_length?: number;
}

/** What a result cost: its usage's dollars, null when unknown, 0 when it reports none. */
function costOf(output: ScoreOutputV1): number | null {
  const cost = output.usage?.costUsd;
  return cost === undefined ? 0 : cost;
}

/** Whether an answer matches its gold label, as a line stores it (null: no label or no answer). */
export function correctOf(
  answer: { status: string; value: string | null },
  label: string | null,
  normalization: LabelNormalization | undefined,
): boolean | null {
  return label !== null && answer.status === 'ok' && answer.value !== null
    ? normalizedLabel(answer.value, normalization) === normalizedLabel(label, normalization)
    : null;
}

/** Builds the stored line of an engine result. */
export function toResultLine(
  result: EngineResult,
  gold: string | undefined,
  normalization?: LabelNormalization,
): ResultLine {
  const { output } = result;
  // Re-read from a response cache with no call made (a changed dataset column made the result
  // cache miss): from the cache too, as the summary's "from cache" counts it (it counted nowhere).
  const usage = output.usage;
  const reused = result.cached || (!usage?.calls && (usage?.cacheHits ?? 0) > 0);
  const label = gold ?? null;
  const correct = correctOf(output, label, normalization);
  const line: ResultLine = {
    item_id: result.item.id,
    score: result.score,
    value: output.value,
    status: output.status,
    label,
    correct,
    explanation: output.explanation ?? null,
    confidence: output.confidence ?? null,
    cost_usd: result.cached ? 0 : costOf(output),
    input_tokens: result.cached ? 0 : (output.usage?.inputTokens ?? 0),
    output_tokens: result.cached ? 0 : (output.usage?.outputTokens ?? 0),
    llm_calls: result.cached ? 0 : (output.usage?.calls ?? 0),
    retries: result.cached ? 0 : (output.usage?.retries ?? 0),
    // To the nanosecond: a rule score's share of its batch's time is often well below 1 us.
    latency_ms: Math.round(result.latencyMs * 1e6) / 1e6,
    cached: reused,
    error: output.error ?? null,
  };
  if (line.cost_usd === null)
    line.unpriced_model = output.usage?.unpricedModel ?? `score ${result.score}`;
  if (!result.cached && output.usage?.tokensUnknown === true) line.tokens_unknown = true;
  if (output.probabilities) line.probabilities = output.probabilities;
  if (output.trace !== undefined) line.trace = output.trace;
  return line;
}

/** The output a stored line stands for, enough for downstream scores on resume. */
export function outputOfLine(line: ResultLine): ScoreOutputV1 {
  const output: ScoreOutputV1 = { value: line.value, status: line.status };
  if (line.explanation !== null) output.explanation = line.explanation;
  if (line.confidence !== null) output.confidence = line.confidence;
  return output;
}
