import { z } from 'zod';
import { budgetSchema } from './budget.js';
import { chunkingSchema } from './chunking.js';
import { emptyTextSetting } from './empty-text.js';
import { templateLimitsSchema } from './templates.js';

export const pricingSchema = z
  .object({
    /** US dollars per million input tokens. */
    input_per_million: z.number().min(0),
    /** US dollars per million output tokens. */
    output_per_million: z.number().min(0),
    /** US dollars per million input tokens read from the provider's prompt cache; default the input price. */
    cached_input_per_million: z.number().min(0).optional(),
  })
  .strict();

const hedgeAfterError = {
  error:
    "hedge_after_ms: give 'auto' (4x the recent 90th-percentile latency) or whole milliseconds from 10 to 600000; leave it out to send no duplicate requests",
};

/** Settings shared by LLM kinds: which model, where, how fast and at what price. */
export const modelSettings = {
  /**
   * `openai`: any OpenAI-compatible endpoint (OpenAI, Azure, vLLM, Ollama, llama.cpp server).
   * `huggingface`: Hugging Face Inference (its router by `model`, or a `base_url` endpoint).
   * `llama-cpp`: a local GGUF file run in-process by node-llama-cpp (`model` is its path).
   */
  provider: z.enum(['openai', 'huggingface', 'llama-cpp']).default('openai'),
  /** The model's name, or for `llama-cpp` the GGUF file (relative to the scorecard, or `models:/`). */
  model: z.string().min(1),
  /** `llama-cpp` only: tokens of context per request; default 4096. */
  context_size: z.number().int().min(256).optional(),
  /** `llama-cpp` only: CPU threads; default half the cores (at least 1). */
  threads: z.number().int().positive().optional(),
  /**
   * `openai` only: how requests are sent. `http` (default): Plexus's own HTTP/1.1 client with
   * keep-alive, about a third of the CPU per call; `sdk`: the `openai` package. Same requests,
   * answers and errors either way.
   */
  client: z.enum(['http', 'sdk']).default('http'),
  /** Endpoint URL; default OpenAI (or `OPENAI_BASE_URL`). */
  base_url: z.string().url().optional(),
  /**
   * Environment variable holding the API key (default `OPENAI_API_KEY`, for `huggingface`
   * `HF_TOKEN`); the key itself never goes in a scorecard.
   */
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
    .optional(),
  temperature: z.number().min(0).max(2).default(0),
  max_tokens: z.number().int().positive().default(256),
  /** Per-request timeout in milliseconds. */
  timeout_ms: z.number().int().positive().default(60_000),
  /**
   * Requests in flight for this provider and model, shared by all scores; default
   * `--concurrency` of the run, else 8. A value here caps `--concurrency`.
   */
  max_concurrency: z.number().int().positive().optional(),
  requests_per_minute: z.number().int().positive().optional(),
  tokens_per_minute: z.number().int().positive().optional(),
  /** Retries of retryable failures (429, 5xx, timeouts, resets); default 4. */
  max_retries: z.number().int().min(0).max(10).default(4),
  /**
   * Off by default: duplicate requests may be billed. A call still unanswered this many ms after
   * it was sent gets a second attempt (a hedge), first in line for the next free slot (so
   * `max_concurrency` holds); the first answer wins, the other attempt is aborted. `auto`: 4x the
   * 90th-percentile latency of the recent successes. Not for `llama-cpp`, nor with a budget.
   */
  hedge_after_ms: z
    .union(
      [
        z.literal('auto'),
        z.number().int(hedgeAfterError).min(10, hedgeAfterError).max(600_000, hedgeAfterError),
      ],
      hedgeAfterError,
    )
    .optional(),
  /**
   * Price per million tokens; default the built-in table (`pricing.ts`, dated), free for
   * `llama-cpp`. A model without a price has cost `null` (unknown), and no budget in dollars.
   */
  pricing: pricingSchema.optional(),
  /** What this score may spend in a run; once spent, its remaining items are not scored. */
  budget: budgetSchema.optional(),
  /**
   * `sync` (default): one request per call, answered at once. `batch` (`openai` only: OpenAI or
   * Azure OpenAI): requests sent in Batch API files, at half the price, answered within 24 hours.
   * Unset, `plexus evaluate --batch` makes it `batch`.
   */
  execution: z.enum(['sync', 'batch']).optional(),
  /** `execution: batch`: the first wait between polls, in ms (each next 1.5 times longer, up to a minute); default 10,000. */
  batch_poll_ms: z.number().int().positive().default(10_000),
};

export const classifierSettingsSchema = z
  .object({
    /** The question, a Liquid template over `text`, `metadata` and `results`. */
    prompt: z.string().min(1),
    /** System message, a Liquid template too. */
    system: z.string().optional(),
    /** JSON-schema structured output with the labels as an enum; default true. */
    structured_output: z.boolean().default(true),
    /** Corrective retries after an answer that gives no valid label; default 2. */
    max_corrections: z.number().int().min(0).max(5).default(2),
    /** Ask for log-probabilities (confidence); default false. */
    logprobs: z.boolean().default(false),
    ...emptyTextSetting,
    /** Long texts: ask once per token window of `text` and combine the labels. */
    chunking: chunkingSchema.optional(),
    /** Limits of the templates' parsing and rendering (see `templates.ts`); defaults apply. */
    template_limits: templateLimitsSchema.optional(),
    ...modelSettings,
  })
  .strict();

export type ClassifierSettings = z.output<typeof classifierSettingsSchema>;
