import {
  defineScoreFactory,
  errorOutput,
  InvalidConfigError,
  matchLabel,
  nameValue,
  type ScoreItemV1,
  type ScoreOutputV1,
  stopsRun,
} from '@plexus/core';
import { z } from 'zod';
import { modelSettings } from './classifier-settings.js';
import { createHuggingFaceProvider } from './huggingface-provider.js';
import { llmScore } from './llm-score.js';
import { emptyUsage, ModelClient, type ModelSettings, pick } from './model-client.js';
import { hfTaskNeeds } from './score-needs.js';

export const hfTaskSettingsSchema = z
  .object({
    /** `zero-shot-classification` (the labels are the candidates) or `text-classification`. */
    task: z.enum(['zero-shot-classification', 'text-classification']),
    /** Model id on the Hub (routed by Hugging Face), or the model behind `base_url`. */
    model: modelSettings.model,
    /** A dedicated endpoint (Inference Endpoint, TGI); default Hugging Face's router. */
    base_url: modelSettings.base_url,
    /** Environment variable with the token; default `HF_TOKEN`. */
    api_key_env: modelSettings.api_key_env,
    /** Zero-shot: the hypothesis, `{}` standing for a label (the model's default otherwise). */
    hypothesis_template: z.string().includes('{}').optional(),
    /** Text classification: the model's labels to the score's (`LABEL_1: spam`). */
    label_map: z.record(z.string().min(1), z.string().min(1)).optional(),
    timeout_ms: modelSettings.timeout_ms,
    max_concurrency: modelSettings.max_concurrency,
    requests_per_minute: modelSettings.requests_per_minute,
    max_retries: modelSettings.max_retries,
    budget: modelSettings.budget,
  })
  .strict();

export type HfTaskSettings = z.output<typeof hfTaskSettingsSchema>;

/**
 * Hugging Face bills these tasks by compute time, and their answers report neither that nor
 * tokens: their cost is unknown (`null`), and no budget (dollars or tokens) could stop them.
 */
function refuseBudgets(
  settings: HfTaskSettings,
  env: { runBudget?: { maxUsd?: number; maxTokens?: number } },
) {
  const why =
    'Hugging Face bills llm/hf-task calls by compute time and their answers report no tokens, so Plexus can count neither for a budget';
  const problems: { path: string; message: string }[] = [];
  if (settings.budget) problems.push({ path: 'budget', message: `${why}: remove budget` });
  if (env.runBudget?.maxUsd !== undefined || env.runBudget?.maxTokens !== undefined)
    problems.push({
      path: 'model',
      message: `${why}: run without --max-usd/--max-tokens, or leave this score out with --score`,
    });
  if (problems.length > 0) throw new InvalidConfigError(problems);
}

const answerFields = ['task', 'model', 'base_url', 'hypothesis_template', 'label_map'] as const;

/** `llm/hf-task`: a Hugging Face classification task (zero-shot or a fine-tuned classifier). */
export const hfTaskFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'hf-task',
  settingsSchema: hfTaskSettingsSchema,
  needs: (settings) => hfTaskNeeds(settings),
  outputLabels: (settings, env) =>
    settings.label_map ? [...new Set(Object.values(settings.label_map))] : env.labels,
  create(settings, env) {
    if (env.labels.length === 0)
      throw new InvalidConfigError([
        { path: 'labels', message: 'required: the labels the score gives' },
      ]);
    const labels = env.labels;
    refuseBudgets(settings, env);
    const client = new ModelClient(
      {
        ...settings,
        provider: 'huggingface',
        temperature: 0,
        max_tokens: 1,
        client: 'http',
        context_size: undefined,
        threads: undefined,
        tokens_per_minute: undefined,
        pricing: undefined,
      } satisfies ModelSettings,
      { ...env, cacheDir: env.cache === false ? undefined : env.cacheDir },
      createHuggingFaceProvider({
        task: settings.task,
        baseUrl: settings.base_url,
        apiKeyEnv: settings.api_key_env,
        timeoutMs: settings.timeout_ms,
        hypothesisTemplate: settings.hypothesis_template,
      }),
    );
    const scoreItem = async (item: ScoreItemV1, signal: AbortSignal): Promise<ScoreOutputV1> => {
      const usage = emptyUsage();
      try {
        const { response } = await client.complete([{ role: 'user', content: item.text }], {
          labels,
          usage,
          signal,
        });
        const answer = JSON.parse(response.content) as {
          label: string;
          scores: Record<string, number>;
        };
        // A model may answer `constructor`: the map's own entries only, never an inherited one.
        const mapped = nameValue(settings.label_map, answer.label) ?? answer.label;
        const value = matchLabel(mapped, labels);
        if (value === undefined)
          return {
            value: null,
            status: 'error',
            usage,
            trace: { scores: answer.scores },
            error: {
              message: `the model answered "${answer.label}", which is not one of the labels (${labels.join(', ')}); map it with label_map`,
              code: 'invalid_answer',
            },
          };
        const confidence = Math.exp(response.labelLogprob ?? 0);
        return {
          value,
          status: 'ok',
          confidence,
          explanation: `${answer.label} (p=${confidence.toFixed(3)}) from ${settings.model}`,
          usage,
          trace: { scores: answer.scores },
        };
      } catch (error) {
        if (signal.aborted || stopsRun(error)) throw error;
        return { ...errorOutput(error, 'call_failed'), usage };
      }
    };
    return llmScore({
      kind: 'llm/hf-task',
      name: env.name,
      labels,
      model: `huggingface ${settings.model}${settings.base_url ? ` at ${settings.base_url}` : ''}`,
      answerSettings: pick(settings, answerFields),
      scoreItem,
    });
  },
});
