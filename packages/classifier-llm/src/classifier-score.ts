import {
  defineScoreFactory,
  errorMessage,
  hashValue,
  InvalidConfigError,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import type { ChatMessage, ChatProvider } from './chat-provider.js';
import { type ClassifierSettings, classifierSettingsSchema } from './classifier-settings.js';
import { parseLabel } from './label-parsing.js';
import { callModel } from './model-call.js';
import { createOpenAiProvider } from './openai-provider.js';
import { callCost } from './pricing.js';
import { sharedLimiter } from './request-limiter.js';
import { defaultRetryPolicy } from './retry-policy.js';
import { parseTemplate, type Template } from './templates.js';

function compile(settings: ClassifierSettings): { prompt: Template; system: Template | undefined } {
  const problems: { path: string; message: string }[] = [];
  const parse = (source: string, path: string) => {
    try {
      return parseTemplate(source);
    } catch (error) {
      problems.push({ path, message: `invalid template: ${errorMessage(error)}` });
      return undefined;
    }
  };
  const prompt = parse(settings.prompt, 'prompt');
  const system = settings.system === undefined ? undefined : parse(settings.system, 'system');
  if (problems.length > 0 || !prompt) throw new InvalidConfigError(problems);
  return { prompt, system };
}

function scopeOf(item: ScoreItemV1): Record<string, unknown> {
  return { text: item.text, metadata: item.metadata, results: item.results, id: item.id };
}

function explanationOf(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { reasoning?: unknown };
    if (typeof parsed.reasoning === 'string') return parsed.reasoning;
  } catch {
    // plain text answer
  }
  return answer.length > 1000 ? `${answer.slice(0, 1000)}…` : answer;
}

/** The settings that change answers (not timeouts, limits, retries, prices or where the key is read from). */
function answerSettings(settings: ClassifierSettings) {
  const {
    model,
    base_url,
    prompt,
    system,
    structured_output,
    max_corrections,
    logprobs,
    temperature,
    max_tokens,
  } = settings;
  return {
    model,
    base_url,
    prompt,
    system,
    structured_output,
    max_corrections,
    logprobs,
    temperature,
    max_tokens,
  };
}

/** Options for tests: another provider (a fake clock or an in-process model). */
export interface ClassifierFactoryOptions {
  provider?: (settings: ClassifierSettings) => ChatProvider;
}

/** `llm/classifier`: one prompt, one closed set of labels, enforced. */
export function createClassifierFactory(options: ClassifierFactoryOptions = {}) {
  return defineScoreFactory({
    specificationVersion: 'v1',
    kind: 'classifier',
    settingsSchema: classifierSettingsSchema,
    create(settings, env) {
      if (env.labels.length === 0) {
        throw new InvalidConfigError([
          { path: 'labels', message: 'required: the labels the model must choose from' },
        ]);
      }
      const labels = env.labels;
      const templates = compile(settings);
      const provider =
        options.provider?.(settings) ??
        createOpenAiProvider({
          baseUrl: settings.base_url,
          apiKeyEnv: settings.api_key_env,
          timeoutMs: settings.timeout_ms,
        });
      const limiter = sharedLimiter(
        `${provider.name}|${settings.base_url ?? ''}|${settings.model}`,
        {
          maxConcurrency: settings.max_concurrency,
          requestsPerMinute: settings.requests_per_minute,
          tokensPerMinute: settings.tokens_per_minute,
        },
      );
      const policy = { ...defaultRetryPolicy, maxRetries: settings.max_retries };
      const labelList = labels.join(', ');

      const scoreItem = async (item: ScoreItemV1, signal: AbortSignal): Promise<ScoreOutputV1> => {
        const usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0, calls: 0, costUsd: 0 };
        const answers: string[] = [];
        let attempts = 0;
        try {
          const scope = scopeOf(item);
          const messages: ChatMessage[] = [];
          if (templates.system)
            messages.push({ role: 'system', content: await templates.system.render(scope) });
          const question = await templates.prompt.render(scope);
          messages.push({
            role: 'user',
            content: `${question}\n\nReason briefly, then answer with exactly one label. Labels: ${labelList}`,
          });
          for (let correction = 0; correction <= settings.max_corrections; correction += 1) {
            const { response, attempts: tries } = await callModel({
              provider,
              limiter,
              policy,
              signal,
              request: {
                model: settings.model,
                messages,
                labels: settings.structured_output ? labels : undefined,
                temperature: settings.temperature,
                maxTokens: settings.max_tokens,
                logprobs: settings.logprobs,
              },
            });
            attempts += tries;
            usage.calls += 1;
            usage.inputTokens += response.inputTokens;
            usage.outputTokens += response.outputTokens;
            usage.cachedTokens += response.cachedTokens;
            usage.costUsd += callCost(
              settings.model,
              { input: response.inputTokens, output: response.outputTokens },
              settings.pricing,
            );
            answers.push(response.content);
            const label = parseLabel(response.content, labels);
            if (label !== undefined) {
              return {
                value: label,
                status: 'ok',
                explanation: explanationOf(response.content),
                ...(response.labelLogprob === undefined
                  ? {}
                  : { confidence: Math.min(1, Math.exp(response.labelLogprob)) }),
                usage,
                trace: { answers, attempts, corrections: correction },
              };
            }
            // Say what went wrong and ask again, within the bounded number of corrections.
            messages.push({ role: 'assistant', content: response.content });
            messages.push({
              role: 'user',
              content: `That answer has none of the labels. Answer again with exactly one of: ${labelList}`,
            });
          }
          return {
            value: null,
            status: 'error',
            usage,
            trace: { answers, attempts },
            error: {
              message: `the model gave no valid label after ${settings.max_corrections + 1} answers; last answer: ${JSON.stringify(answers.at(-1)?.slice(0, 300))}`,
              code: 'invalid_answer',
              retryable: false,
            },
          };
        } catch (error) {
          if (signal.aborted) throw error;
          const failure = error as { message?: string; code?: string; isRetryable?: boolean };
          return {
            value: null,
            status: 'error',
            usage,
            trace: { answers, attempts },
            error: {
              message: errorMessage(error),
              code: failure.code ?? 'call_failed',
              retryable: failure.isRetryable ?? false,
            },
          };
        }
      };

      return {
        specificationVersion: 'v1',
        kind: 'llm/classifier',
        name: env.name,
        labels,
        fingerprint: hashValue({
          kind: 'llm/classifier',
          settings: answerSettings(settings),
          labels,
        }),
        maxBatchSize: 32,
        async doScore({ items, signal }) {
          signal.throwIfAborted();
          return Promise.all(items.map((item) => scoreItem(item, signal)));
        },
      };
    },
  });
}

export const classifierFactory = createClassifierFactory();
