import { join } from 'node:path';
import {
  type DirectoryCache,
  directoryCache,
  hedgedUnpricedModel,
  keptUnpricedModel,
} from '@plexus/core';
import { answerNote } from './answer-notes.js';
import { batchPrice, batchProvider, usesBatch } from './batch-provider.js';
import { CallBudgets } from './call-budgets.js';
import { type TracedCall, traceCall } from './call-trace.js';
import type { ChatMessage, ChatProvider, ChatRequest, ChatResponse } from './chat-provider.js';
import { refuseHedging } from './hedged-call.js';
import { jobShare } from './job-share.js';
import { labelLogprob } from './label-logprob.js';
import { answerReading, correctionOf, labelList } from './label-parsing.js';
import { callModel } from './model-call.js';
import { type ClientEnv, createProvider, type ModelSettings } from './model-settings.js';
import { isFree, type ModelPrice, modelPrice, responseCost, usageMissingModel } from './pricing.js';
import { requestKey } from './request-key.js';
import { type RequestLimiter, sharedLimiter } from './request-limiter.js';
import { defaultRetryPolicy, ProviderCallError, type RetryPolicy } from './retry-policy.js';
import { addCost, type UsageTally } from './usage-tally.js';

export { explanationOf, labelInstruction, whyNot } from './label-parsing.js';
export { type ClientEnv, checkProvider, type ModelSettings, modelLabel } from './model-settings.js';
export { addUsage, emptyUsage, type UsageTally } from './usage-tally.js';

/** What asking for a label gave: the label (or none after the corrections), and every answer. */
export interface LabelAnswer {
  label: string | undefined;
  answers: string[];
  attempts: number;
  corrections: number;
  logprob: number | undefined;
  /** Why the last answer gave no label (`label` undefined): cut, refused, two labels, none. */
  problem?: string;
  /** What the last answer lacks, and what that changed (`answerNote`): kept in the trace. */
  note?: string;
}

/** Requests in flight per provider and model when neither the scorecard nor `--concurrency` says. */
const defaultConcurrency = 8;

/** A model endpoint with its shared limiter, retry policy and prices. */
export class ModelClient {
  private readonly provider: ChatProvider;
  private readonly limiter: RequestLimiter;
  private readonly policy: RetryPolicy;

  private readonly cache: DirectoryCache<ChatResponse> | undefined;
  /** The score's budget and the run's: each call reserves its worst case in both. */
  private readonly budgets: CallBudgets;
  /** Undefined: unknown (cost `null`); a local model is priced 0. */
  private readonly price: ModelPrice | undefined;
  /** Calls answered by the Batch API (`execution: batch`): collected, at half the price. */
  readonly batch: boolean;
  /** The run folder of the run calling (a batch's ids are recorded there); see `useRun`. */
  private runDir: string | undefined;
  /** The run's drain signal: once aborted, no new call is sent. */
  private drain: AbortSignal | undefined;
  /** `hedge_after_ms`; undefined: no second attempts. */
  private readonly hedgeAfterMs: number | 'auto' | undefined;

  /** `provider`: for tests, another endpoint than the settings'. */
  constructor(
    private readonly settings: ModelSettings,
    env: ClientEnv,
    provider?: ChatProvider,
  ) {
    this.cache = env.cacheDir
      ? directoryCache<ChatResponse>(join(env.cacheDir, 'llm-responses'))
      : undefined;
    const local = settings.provider === 'llama-cpp';
    // A local model on the CPU answers one request at a time unless the scorecard says more.
    // On Spark the limits are the whole job's: this task keeps its share (see `jobShare`).
    const limits = jobShare(
      {
        maxConcurrency: Math.min(
          settings.max_concurrency ?? (local ? 1 : (env.requestConcurrency ?? defaultConcurrency)),
          env.requestConcurrency ?? Number.POSITIVE_INFINITY,
        ),
        requestsPerMinute: settings.requests_per_minute,
        tokensPerMinute: settings.tokens_per_minute,
      },
      local ? undefined : env.jobTasks,
    );
    const concurrency = limits.maxConcurrency;
    this.batch = usesBatch(settings, env);
    this.provider = this.batch
      ? batchProvider(settings, () => this.runDir)
      : (provider ?? createProvider(settings, env, concurrency));
    // A batch has its own limits, far above the synchronous ones: no limiter, no retry (an
    // error is the item's, retried by --retry-errors in a new batch).
    this.limiter = sharedLimiter(
      `${this.batch ? 'batch|' : ''}${this.provider.name}|${local ? '' : (settings.base_url ?? '')}|${settings.model}`,
      this.batch ? { maxConcurrency: Number.POSITIVE_INFINITY } : limits,
    );
    this.policy = { ...defaultRetryPolicy, maxRetries: this.batch ? 0 : settings.max_retries };
    this.price = this.batch ? batchPrice(modelPrice(settings)) : modelPrice(settings);
    this.budgets = new CallBudgets(settings, env, this.price);
    refuseHedging(settings, env);
    // A batch sends each request once, answered within 24 hours: no hedge.
    this.hedgeAfterMs = this.batch ? undefined : settings.hedge_after_ms;
  }

  /** The run calling, from the score's context: its folder keeps the batches' ids. */
  useRun(context: { runDir?: string; drain?: AbortSignal }): void {
    this.runDir = context.runDir;
    this.drain = context.drain;
  }

  /** One call (with retries); its usage is added to `usage`. */
  async complete(
    messages: ChatMessage[],
    options: {
      labels?: readonly string[];
      logprobs?: boolean;
      usage: UsageTally;
      signal: AbortSignal;
      /** Receives the call's messages and answer for the trace (see `traceCall`). */
      prompts?: TracedCall[];
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
      ? requestKey(this.provider.name, this.settings.base_url ?? '', request)
      : '';
    const stored = this.cache?.getNow(key); // a lookup in memory and one read: no promise
    if (stored) {
      options.usage.cacheHits += 1;
      options.prompts?.push(traceCall(messages, stored.content));
      return { response: stored, attempts: 0 };
    }
    const result = await callModel({
      provider: await this.budgets.guard(this.provider, request),
      limiter: this.limiter,
      policy: this.policy,
      signal: options.signal,
      drain: this.drain,
      request,
      hedgeAfterMs: this.hedgeAfterMs,
      // Only answers are kept (a failed call throws before this, so errors are never cached),
      // stored while the call still holds its slot.
      onAnswer: this.cache ? (answer) => this.cache!.set(key, answer).catch(() => {}) : undefined,
    }).catch((error: unknown) => {
      // A call that gave up sent its requests all the same, counted as for a call answered: one
      // call (and its hedges) and its retries, the requests its server received being `calls +
      // retries`; none when it never connected (refused, unknown host: not an LLM call, nothing
      // billed). No tokens come back with an error; the cost stays as for a retried attempt's
      // failures.
      if (error instanceof ProviderCallError && error.sent)
        countRequests(options.usage, error.sent);
      throw error;
    });
    const { response } = result;
    options.prompts?.push(traceCall(messages, response.content));
    // Requests received: a hedged call's second attempt too (it may be billed).
    countRequests(options.usage, result);
    options.usage.inputTokens += response.inputTokens;
    options.usage.outputTokens += response.outputTokens;
    options.usage.cachedTokens += response.cachedTokens;
    // A hedged call's aborted (or failed) attempt reported no tokens: its cost is unknown. So is
    // that of an answer without usage, unless the model is free.
    const tokensUnknown = response.usageMissing === true && !isFree(this.price);
    // The tokens themselves are unknown either way, a free model's too.
    if (response.usageMissing === true || result.hedges > 0) options.usage.tokensUnknown = true;
    const cost = result.hedges > 0 || tokensUnknown ? null : responseCost(this.price, response);
    if (cost === null) {
      const model = `${this.settings.provider} ${this.settings.model}`;
      options.usage.unpricedModel = keptUnpricedModel(
        options.usage.unpricedModel,
        result.hedges > 0
          ? hedgedUnpricedModel(model)
          : tokensUnknown && this.price
            ? usageMissingModel(model)
            : model,
      );
    }
    options.usage.costUsd = addCost(options.usage.costUsd, cost);
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
      prompts?: TracedCall[];
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
        prompts: options.prompts,
      });
      attempts += tries;
      answers.push(response.content);
      const { label, problem } = answerReading(response, options.labels, this.settings.max_tokens);
      if (label !== undefined || correction >= options.maxCorrections) {
        const logprob = label === undefined ? undefined : labelLogprob(response, label);
        const note = answerNote(response, {
          cached: tries === 0,
          maxTokens: this.settings.max_tokens,
          confidenceMissing:
            options.logprobs === true && label !== undefined && logprob === undefined,
        });
        return {
          label,
          answers,
          attempts,
          corrections: correction,
          logprob,
          ...(problem === undefined ? {} : { problem }),
          ...(note === undefined ? {} : { note }),
        };
      }
      conversation.push({ role: 'assistant', content: response.content });
      conversation.push({
        role: 'user',
        content: `${correctionOf(problem)} Answer again with exactly one of: ${labelList(options.labels)}`,
      });
    }
  }
}

/**
 * Adds a call's requests to `usage`: one call (and its hedges) and its retries, `calls + retries`
 * being the requests its server received; attempts that never connected are in neither.
 */
function countRequests(usage: UsageTally, sent: { attempts: number; hedges: number }): void {
  usage.calls += Math.min(1, sent.attempts) + sent.hedges;
  usage.retries += Math.max(0, sent.attempts - 1);
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
