/** One token of an answer with its log-probability (OpenAI's `logprobs.content`). */
export interface TokenLogprob {
  token: string;
  logprob: number;
}

/** A chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One request to a chat model. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Ask for JSON `{reasoning, label}` with `label` limited to these labels (structured output). */
  labels?: readonly string[];
  temperature: number;
  maxTokens: number;
  logprobs: boolean;
}

/** The model's answer. */
export interface ChatResponse {
  content: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Log-probability of the answer's label, when the provider gives it directly (Hugging Face tasks). */
  labelLogprob?: number;
  /** Each token of `content` with its log-probability, when asked for (`logprobs`). */
  tokenLogprobs?: TokenLogprob[];
  /** The answer stopped at `max_tokens` (`finish_reason: length`): it may be unfinished. */
  cutAtMaxTokens?: boolean;
  /**
   * Why the answer ended, as the endpoint said (`stop`, `length`, ...); null when it said nothing,
   * absent in answers cached by an earlier Plexus. Whether such an answer was cut is unknown (see
   * `mayBeCut`).
   */
  finishReason?: string | null;
  /** The model's refusal (OpenAI's `message.refusal`), when it gave one instead of an answer. */
  refusal?: string;
  /** The endpoint reported no usage: the tokens are unknown (not 0), and so is the cost. */
  usageMissing?: boolean;
  /**
   * UTF-8 bytes of the reasoning the endpoint returned beside the answer (`reasoning_content`,
   * `reasoning`): spent from `max_tokens` too (see `mayBeCut`).
   */
  reasoningBytes?: number;
}

/** OpenAI's `response_format` asking for `{reasoning, label}` with the label among `labels`. */
export function labelResponseFormat(labels: readonly string[]) {
  return {
    type: 'json_schema' as const,
    json_schema: {
      name: 'classification',
      strict: true,
      schema: {
        type: 'object',
        properties: {
          reasoning: { type: 'string' },
          label: { type: 'string', enum: [...labels] },
        },
        required: ['reasoning', 'label'],
        additionalProperties: false,
      },
    },
  };
}

/** A chat model endpoint; implementations throw `ProviderCallError` for failed calls. */
export interface ChatProvider {
  readonly name: string;
  complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse>;
}
