import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, isReasoningModel, PlexusError, redact, sha256 } from '@plexus/core';
import { askLocal, type LocalOptimizer } from './local-optimizer.js';

/** Where the optimizer model is: an OpenAI-compatible endpoint, or a local GGUF file. */
export type OptimizerEndpoint = HttpOptimizer | LocalOptimizer;

/** An OpenAI-compatible chat completions endpoint. */
export interface HttpOptimizer {
  provider: 'openai';
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  /** US dollars per million input and output tokens; unset: the cost is unknown (null). */
  price?: { input: number; output: number };
  /** The answer's cap in tokens (`--optimizer-max-tokens`): with the price, a call's worst case. */
  maxTokens?: number;
}

/**
 * The most a call with these messages can cost: every byte of them a token (a token is at least one
 * byte), a few per message more, and `maxTokens` of answer; null without a price or a cap.
 */
export function worstCaseUsd(
  endpoint: HttpOptimizer,
  messages: readonly { role: string; content: string }[],
): number | null {
  if (!endpoint.price || endpoint.maxTokens === undefined) return null;
  const input = messages.reduce(
    (sum, message) =>
      sum + Buffer.byteLength(message.content) + Buffer.byteLength(message.role) + 8,
    16,
  );
  return (input * endpoint.price.input + endpoint.maxTokens * endpoint.price.output) / 1_000_000;
}

export interface OptimizerAnswer {
  content: string;
  inputTokens: number;
  outputTokens: number;
  /**
   * US dollars of this call; 0 from the cache or a local model, null when the price is unknown or
   * the answer reported no usage.
   */
  costUsd: number | null;
  cached: boolean;
  /** The cache key of the request (`spent.json` counts each answer once by it). */
  key: string;
  /** What the answer cost when it was paid for (from the cache: its first call's cost). */
  paidUsd: number | null;
}

interface ChatAnswer {
  choices?: { message?: { content?: string } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

async function post(endpoint: HttpOptimizer, messages: unknown): Promise<ChatAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  // A reasoning model refuses any temperature but its own (every round's call was a 400).
  const reasoning = isReasoningModel(endpoint.model);
  const temperature = reasoning ? {} : { temperature: 0 };
  // A reasoning model takes its cap as max_completion_tokens (max_tokens is a 400 there).
  const cap =
    endpoint.maxTokens === undefined
      ? {}
      : reasoning
        ? { max_completion_tokens: endpoint.maxTokens }
        : { max_tokens: endpoint.maxTokens };
  const body = JSON.stringify({ model: endpoint.model, messages, ...temperature, ...cap });
  let response: Response;
  try {
    response = await fetch(`${endpoint.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers,
      body,
    });
  } catch (error) {
    throw new PlexusError(`optimizer model: ${redact(errorMessage(error))}`);
  }
  const text = await response.text();
  if (!response.ok)
    throw new PlexusError(
      `optimizer model: HTTP ${response.status}: ${redact(text.slice(0, 300))}`,
    );
  // A proxy's HTML page or an error object with status 200 is no answer: said as such (it was
  // "plexus: Unexpected token '<'", or "the optimizer answered no JSON" for an error it sent).
  let answer: ChatAnswer & { error?: unknown };
  try {
    answer = JSON.parse(text) as ChatAnswer & { error?: unknown };
  } catch {
    throw new PlexusError(
      `optimizer model: HTTP ${response.status} with a body that is not JSON: ${redact(text.slice(0, 200))}`,
    );
  }
  if (!Array.isArray(answer?.choices))
    throw new PlexusError(
      `optimizer model: HTTP ${response.status} without choices: ${redact(text.slice(0, 300))}`,
    );
  return answer;
}

async function askHttp(
  endpoint: HttpOptimizer,
  messages: { role: string; content: string }[],
): Promise<Omit<OptimizerAnswer, 'key' | 'paidUsd'>> {
  const answer = await post(endpoint, messages);
  const inputTokens = answer.usage?.prompt_tokens;
  const outputTokens = answer.usage?.completion_tokens;
  const price = endpoint.price;
  // An answer without usage spent an unknown amount: priced as 0 tokens it was $0.
  const counted = Number.isFinite(inputTokens) && Number.isFinite(outputTokens);
  return {
    content: answer.choices?.[0]?.message?.content ?? '',
    inputTokens: counted ? inputTokens! : 0,
    outputTokens: counted ? outputTokens! : 0,
    costUsd:
      price && counted
        ? (inputTokens! * price.input + outputTokens! * price.output) / 1_000_000
        : null,
    cached: false,
  };
}

/**
 * Asks the optimizer model once per distinct request: answers are kept in `cacheDir` by the hash
 * of the request, so a resumed or repeated run pays nothing for a question it already asked.
 * A local model's answer follows `schema` (a grammar) and costs 0, a known figure.
 */
export async function askOptimizer(
  endpoint: OptimizerEndpoint,
  messages: { role: string; content: string }[],
  cacheDir: string,
  schema?: object,
  /** Called before a call is made (not for a cached answer): `--max-usd` refuses one that may not fit. */
  beforeCall?: () => void,
): Promise<OptimizerAnswer> {
  const key = sha256(
    JSON.stringify(
      endpoint.provider === 'llama-cpp'
        ? { provider: endpoint.provider, model: endpoint.model, schema, messages }
        : { url: endpoint.baseUrl, model: endpoint.model, messages },
    ),
  );
  const path = join(cacheDir, `${key}.json`);
  if (existsSync(path)) {
    const kept = JSON.parse(await readFile(path, 'utf8')) as OptimizerAnswer;
    return { ...kept, costUsd: 0, cached: true, key, paidUsd: kept.costUsd };
  }
  beforeCall?.();
  const answered =
    endpoint.provider === 'llama-cpp'
      ? { ...(await askLocal(endpoint, messages, schema)), costUsd: 0, cached: false }
      : await askHttp(endpoint, messages);
  // What a server sends back is redacted before it is kept (a careless proxy that echoes the
  // `Authorization` header): it reaches the cache, changelog.md/json, candidates and MLflow.
  const result = { ...answered, content: redact(answered.content) };
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path, `${JSON.stringify(result)}\n`);
  return { ...result, key, paidUsd: result.costUsd };
}
