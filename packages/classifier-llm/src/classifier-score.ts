import {
  defineScoreFactory,
  errorMessage,
  errorOutput,
  hashValue,
  InvalidConfigError,
  type ScoreItemV1,
  type ScoreOutputV1,
  stopsRun,
} from '@plexus/core';
import type { ChatMessage, ChatProvider } from './chat-provider.js';
import { type ClassifierSettings, classifierSettingsSchema } from './classifier-settings.js';
import {
  checkProvider,
  emptyUsage,
  explanationOf,
  type LabelAnswer,
  labelInstruction,
  ModelClient,
  modelLabel,
  pick,
} from './model-client.js';
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

/** The settings that change answers (not timeouts, limits, retries, prices or where the key is read from). */
const answerFields = [
  'provider',
  'model',
  'base_url',
  'prompt',
  'system',
  'structured_output',
  'max_corrections',
  'logprobs',
  'temperature',
  'max_tokens',
] as const;

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
    async create(settings, env) {
      if (env.labels.length === 0) {
        throw new InvalidConfigError([
          { path: 'labels', message: 'required: the labels the model must choose from' },
        ]);
      }
      const labels = env.labels;
      const templates = compile(settings);
      const clientEnv = { ...env, cacheDir: env.cache === false ? undefined : env.cacheDir };
      const provider = options.provider?.(settings);
      if (!provider) await checkProvider(settings, clientEnv);
      const client = new ModelClient(settings, clientEnv, provider);

      const scoreItem = async (item: ScoreItemV1, signal: AbortSignal): Promise<ScoreOutputV1> => {
        const usage = emptyUsage();
        let answer: LabelAnswer | undefined;
        try {
          const scope = scopeOf(item);
          const messages: ChatMessage[] = [];
          if (templates.system)
            messages.push({ role: 'system', content: await templates.system.render(scope) });
          const question = await templates.prompt.render(scope);
          messages.push({ role: 'user', content: `${question}\n\n${labelInstruction(labels)}` });
          answer = await client.askLabel(messages, {
            labels,
            structured: settings.structured_output,
            maxCorrections: settings.max_corrections,
            logprobs: settings.logprobs,
            usage,
            signal,
          });
        } catch (error) {
          if (signal.aborted || stopsRun(error)) throw error;
          return { ...errorOutput(error, 'call_failed'), usage };
        }
        const trace = {
          answers: answer.answers,
          attempts: answer.attempts,
          corrections: answer.corrections,
        };
        if (answer.label === undefined) {
          return {
            value: null,
            status: 'error',
            usage,
            trace,
            error: {
              message: `the model gave no valid label after ${answer.answers.length} answers; last answer: ${JSON.stringify(answer.answers.at(-1)?.slice(0, 300))}`,
              code: 'invalid_answer',
              retryable: false,
            },
          };
        }
        return {
          value: answer.label,
          status: 'ok',
          explanation: explanationOf(answer.answers.at(-1)!),
          ...(answer.logprob === undefined
            ? {}
            : { confidence: Math.min(1, Math.exp(answer.logprob)) }),
          usage,
          trace,
        };
      };

      return {
        specificationVersion: 'v1',
        kind: 'llm/classifier',
        name: env.name,
        labels,
        model: modelLabel(settings),
        fingerprint: hashValue({
          kind: 'llm/classifier',
          settings: pick(settings, answerFields),
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
