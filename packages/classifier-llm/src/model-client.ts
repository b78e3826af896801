import { join } from 'node:path';
import { DirectoryCache, hashValue } from '@plexus/core';
import type { ChatMessage, ChatProvider, ChatRequest, ChatResponse } from './chat-provider.js';
import type { ClassifierSettings } from './classifier-settings.js';
import { parseLabel } from './label-parsing.js';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { callCost } from './pricing.js';
import { type RequestLimiter, sharedLimiter } from './request-limiter.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/** The model settings every LLM kind has (see `modelSettings`). */
export type ModelSettings = Pick<
  ClassifierSettings,
  | 'model'
  | 'base_url'
  | 'api_key_env'
  | 'temperature'
  | 'max_tokens'
  | 'timeout_ms'
  | 'max_concurrency'
  | 'requests_per_minute'
  | 'tokens_per_minute'
  | 'max_retries'
  | 'pricing'
>;

/** Tokens, calls and cost, added up over the calls for one item. */
export interface UsageTally {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Calls made to the model (responses from the cache are not calls). */
  calls: number;
  costUsd: number;
  /** Responses served from the response cache. */
  cacheHits: number;
  /** Attempts repeated after retryable failures. */
  retries: number;
}

export function emptyUsage(): UsageTally {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    calls: 0,
    costUsd: 0,
    cacheHits: 0,
    retries: 0,
  };
}

/** What asking for a label gave: the label (or none after the corrections), and every answer. */
export interface LabelAnswer {
  label: string | undefined;
  answers: string[];
  attempts: number;
  corrections: number;
  logprob: number | undefined;
}

/** Requests in flight per provider and model when neither the scorecard nor `--concurrency` says. */
const defaultConcurrency = 8;

/** A model endpoint with its shared limiter, retry policy and prices. */
export class ModelClient {
  private readonly provider: ChatProvider;
  private readonly limiter: RequestLimiter;
  private readonly policy: RetryPolicy;

  private readonly cache: DirectoryCache<ChatResponse> | undefined;

  /** `cacheDir`: where responses are kept (keyed by the full request); none, no response cache. */
  constructor(
    private readonly settings: ModelSettings,
    options: { provider?: ChatProvider; cacheDir?: string; requestConcurrency?: number } = {},
  ) {
    const provider = options.provider;
    this.cache = options.cacheDir
      ? new DirectoryCache<ChatResponse>(join(options.cacheDir, 'llm-responses'))
      : undefined;
    this.provider =
      provider ??
      createOpenAiProvider({
        baseUrl: settings.base_url,
        apiKeyEnv: settings.api_key_env,
        timeoutMs: settings.timeout_ms,
      });
    this.limiter = sharedLimiter(
      `${this.provider.name}|${settings.base_url ?? ''}|${settings.model}`,
      {
        maxConcurrency: Math.min(
          settings.max_concurrency ?? options.requestConcurrency ?? defaultConcurrency,
          options.requestConcurrency ?? Number.POSITIVE_INFINITY,
        ),
        requestsPerMinute: settings.requests_per_minute,
        tokensPerMinute: settings.tokens_per_minute,
      },
    );
    this.policy = { ...defaultRetryPolicy, maxRetries: settings.max_retries };
  }

  /** One call (with retries); its usage is added to `usage`. */
  async complete(
    messages: ChatMessage[],
    options: {
      labels?: readonly string[];
      logprobs?: boolean;
      usage: UsageTally;
      signal: AbortSignal;
    },
  ): Promise<{ response: ChatResponse; attempts: number }> {
    const request: ChatRequest = {
      model: this.settings.model,
      messages,
      labels: options.labels,
      temperature: this.settings.temperature,
      maxTokens: this.settings.max_tokens,
      logprobs: options.logprobs ?? false,
    };
    // Keyed by everything that changes the answer: endpoint, model, messages, schema, parameters.
    const key = this.cache
      ? hashValue({ provider: this.provider.name, baseUrl: this.settings.base_url ?? '', request })
      : '';
    const stored = await this.cache?.get(key);
    if (stored) {
      options.usage.cacheHits += 1;
      return { response: stored, attempts: 0 };
    }
    const result = await callModel({
      provider: this.provider,
      limiter: this.limiter,
      policy: this.policy,
      signal: options.signal,
      request,
    });
    const { response } = result;
    // Only answers are kept: a failed call throws before this, so errors are never cached.
    await this.cache?.set(key, response).catch(() => {});
    options.usage.calls += 1;
    options.usage.retries += result.attempts - 1;
    options.usage.inputTokens += response.inputTokens;
    options.usage.outputTokens += response.outputTokens;
    options.usage.cachedTokens += response.cachedTokens;
    options.usage.costUsd += callCost(
      this.settings.model,
      { input: response.inputTokens, output: response.outputTokens },
      this.settings.pricing,
    );
    return result;
  }

  /**
   * Asks until the answer names one of `labels`: after an answer without one, a corrective
   * message and another try, `maxCorrections` times at most.
   */
  async askLabel(
    messages: ChatMessage[],
    options: {
      labels: readonly string[];
      structured: boolean;
      maxCorrections: number;
      logprobs?: boolean;
      usage: UsageTally;
      signal: AbortSignal;
    },
  ): Promise<LabelAnswer> {
    const conversation = [...messages];
    const answers: string[] = [];
    let attempts = 0;
    for (let correction = 0; ; correction += 1) {
      const { response, attempts: tries } = await this.complete(conversation, {
        labels: options.structured ? options.labels : undefined,
        logprobs: options.logprobs,
        usage: options.usage,
        signal: options.signal,
      });
      attempts += tries;
      answers.push(response.content);
      const label = parseLabel(response.content, options.labels);
      if (label !== undefined || correction >= options.maxCorrections) {
        return {
          label,
          answers,
          attempts,
          corrections: correction,
          logprob: label === undefined ? undefined : response.labelLogprob,
        };
      }
      conversation.push({ role: 'assistant', content: response.content });
      conversation.push({
        role: 'user',
        content: `That answer has none of the labels. Answer again with exactly one of: ${options.labels.join(', ')}`,
      });
    }
  }
}

/** The reasoning of a JSON answer, or the answer itself (shortened). */
export function explanationOf(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { reasoning?: unknown };
    if (typeof parsed.reasoning === 'string') return parsed.reasoning;
  } catch {
    // plain text answer
  }
  return answer.length > 1000 ? `${answer.slice(0, 1000)}…` : answer;
}

/** The instruction added to every labelled question. */
export function labelInstruction(labels: readonly string[]): string {
  return `Reason briefly, then answer with exactly one label. Labels: ${labels.join(', ')}`;
}

/** The named fields of an object (the settings that change answers, for fingerprints). */
export function pick<Value extends object, Key extends keyof Value>(
  value: Value,
  keys: readonly Key[],
): Pick<Value, Key> {
  const picked = {} as Pick<Value, Key>;
  for (const key of keys) picked[key] = value[key];
  return picked;
}
