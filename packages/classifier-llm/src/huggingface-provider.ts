type HuggingFaceInference = typeof import('@huggingface/inference');

import {
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  labelResponseFormat,
} from './chat-provider.js';
import { createHttpFetch } from './http-fetch.js';
import { unconnectedError } from './http-request.js';
import { toChatResponse } from './openai-provider.js';
import { ProviderCallError } from './retry-policy.js';

let inference: Promise<HuggingFaceInference> | undefined;

/** `@huggingface/inference`, loaded at the first call to Hugging Face (not at every LLM run's start). */
function loadInference(): Promise<HuggingFaceInference> {
  inference ??= import('@huggingface/inference');
  return inference;
}

/** What the endpoint is asked: a chat completion, or a Hugging Face classification task. */
export type HuggingFaceTask = 'chat' | 'zero-shot-classification' | 'text-classification';

export interface HuggingFaceProviderOptions {
  task: HuggingFaceTask;
  /** A dedicated endpoint (Inference Endpoint, TGI); default: Hugging Face's router by model. */
  baseUrl?: string;
  /** Environment variable with the token, read at call time; default `HF_TOKEN`. */
  apiKeyEnv?: string;
  timeoutMs?: number;
  /** Zero-shot: the hypothesis, `{}` standing for a label. */
  hypothesisTemplate?: string;
}

/**
 * Hugging Face Inference through `@huggingface/inference`: chat completions (labels enforced by
 * a JSON schema, as with OpenAI), or the zero-shot and text-classification tasks, whose answer
 * is returned as `{"label": <top label>, "scores": {...}}` with the top score as confidence.
 */
export function createHuggingFaceProvider(options: HuggingFaceProviderOptions): ChatProvider {
  const fetch = createHttpFetch();
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    name: options.task === 'chat' ? 'huggingface' : `huggingface-${options.task}`,
    async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
      const token = process.env[options.apiKeyEnv ?? 'HF_TOKEN'];
      const target = options.baseUrl ? { endpointUrl: options.baseUrl } : { model: request.model };
      const timeout = AbortSignal.timeout(timeoutMs);
      const callOptions = { signal: AbortSignal.any([signal, timeout]), fetch };
      const text = request.messages.findLast((message) => message.role === 'user')?.content ?? '';
      const hf = await loadInference();
      try {
        if (options.task === 'chat') {
          const completion = await hf.chatCompletion(
            {
              accessToken: token,
              ...target,
              ...(options.baseUrl ? { model: request.model } : {}),
              messages: request.messages.map((message) => ({ ...message })),
              max_tokens: request.maxTokens,
              temperature: request.temperature,
              ...(request.labels ? { response_format: labelResponseFormat(request.labels) } : {}),
            },
            callOptions,
          );
          // OpenAI's shape: the same reading of cut answers, refusals and missing usage.
          return toChatResponse(completion);
        }
        const ranked =
          options.task === 'zero-shot-classification'
            ? await hf.zeroShotClassification(
                {
                  accessToken: token,
                  ...target,
                  inputs: text,
                  parameters: {
                    candidate_labels: [...(request.labels ?? [])],
                    ...(options.hypothesisTemplate
                      ? { hypothesis_template: options.hypothesisTemplate }
                      : {}),
                  },
                },
                callOptions,
              )
            : await hf.textClassification(
                { accessToken: token, ...target, inputs: text },
                callOptions,
              );
        const top = [...ranked].sort((left, right) => right.score - left.score)[0];
        if (!top) throw new ProviderCallError('the endpoint returned no label', { status: 502 });
        return {
          content: JSON.stringify({
            label: top.label,
            scores: Object.fromEntries(ranked.map((entry) => [entry.label, entry.score])),
          }),
          inputTokens: 0,
          outputTokens: 0,
          cachedTokens: 0,
          labelLogprob: Math.log(Math.max(top.score, Number.MIN_VALUE)),
        };
      } catch (error) {
        if (signal.aborted) throw error;
        if (timeout.aborted)
          throw new ProviderCallError(`the call timed out after ${timeoutMs} ms`, {
            cause: error,
            code: 'timeout',
          });
        throw toProviderError(error, hf);
      }
    },
  };
}

function toProviderError(error: unknown, hf: HuggingFaceInference): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (error instanceof hf.InferenceClientProviderApiError) {
    const status = error.httpResponse.status;
    const hint = status === 401 || status === 403 ? ': check your token (HF_TOKEN)' : '';
    return new ProviderCallError(`the endpoint answered ${status}${hint} (${error.message})`, {
      status,
      cause: error,
      ...(status === 401 ? { code: 'auth' } : {}),
    });
  }
  if (error instanceof hf.InferenceClientProviderOutputError)
    return new ProviderCallError(`the endpoint's answer is malformed: ${error.message}`, {
      status: 502,
      cause: error,
    });
  if (error instanceof hf.InferenceClientInputError)
    return new ProviderCallError(error.message, { status: 400, cause: error });
  // A request that never connected: not a call, and its message names the endpoint and the fix.
  const unconnected = unconnectedError(error);
  return new ProviderCallError(
    unconnected?.message ??
      `cannot reach the endpoint: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, code: 'connection', reachedServer: unconnected === undefined },
  );
}
