import {
  defineScoreFactory,
  errorMessage,
  errorOutput,
  InvalidConfigError,
  type ScoreItemV1,
  type ScoreOutputV1,
  stopsRun,
} from '@plexus/core';
import { type TracedCall, tracedAnswers } from './call-trace.js';
import type { ChatMessage, ChatProvider } from './chat-provider.js';
import { type ChunkVote, combinedExplanation, combineLabels, splitTokens } from './chunking.js';
import { type ClassifierSettings, classifierSettingsSchema } from './classifier-settings.js';
import { checkEmptyTextLabel, emptyTextOutput, showsText } from './empty-text.js';
import { quotedAnswer } from './label-parsing.js';
import { llmScore } from './llm-score.js';
import {
  checkProvider,
  emptyUsage,
  explanationOf,
  type LabelAnswer,
  labelInstruction,
  ModelClient,
  modelLabel,
  pick,
  type UsageTally,
  whyNot,
} from './model-client.js';
import { classifierNeeds } from './score-needs.js';
import { parseTemplate, type Template } from './templates.js';

function compile(settings: ClassifierSettings): { prompt: Template; system: Template | undefined } {
  const problems: { path: string; message: string }[] = [];
  const parse = (source: string, path: string) => {
    try {
      return parseTemplate(source, settings.template_limits);
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
  'chunking',
  'temperature',
  'max_tokens',
  'empty_text_label',
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
    needs: (settings) => classifierNeeds(settings, { providerKey: !options.provider }),
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

      // Whether the question shows the text: an empty one leaves nothing to ask (no call).
      const readsText =
        settings.chunking !== undefined || showsText([settings.prompt, settings.system]);
      checkEmptyTextLabel(settings.empty_text_label, labels);
      // A chunk is shown only through the text: without it every chunk asks (and pays for) the same.
      if (settings.chunking && !showsText([settings.prompt, settings.system]))
        throw new InvalidConfigError([
          {
            path: 'chunking',
            message:
              'the prompt does not show the text ({{ text }}), so every chunk would ask the same question: show the text or remove chunking',
          },
        ]);
      const positive = settings.chunking?.positive_label ?? labels[0]!;
      if (settings.chunking && !labels.includes(positive))
        throw new InvalidConfigError([
          {
            path: 'chunking.positive_label',
            message: `${positive} is not one of the labels (${labels.join(', ')})`,
          },
        ]);

      const ask = async (
        scope: Record<string, unknown>,
        usage: UsageTally,
        signal: AbortSignal,
        prompts: TracedCall[],
      ): Promise<LabelAnswer> => {
        const messages: ChatMessage[] = [];
        if (templates.system)
          messages.push({ role: 'system', content: await templates.system.render(scope) });
        const question = await templates.prompt.render(scope);
        messages.push({ role: 'user', content: `${question}\n\n${labelInstruction(labels)}` });
        return client.askLabel(messages, {
          labels,
          structured: settings.structured_output,
          maxCorrections: settings.max_corrections,
          logprobs: settings.logprobs,
          usage,
          signal,
          prompts,
        });
      };

      /** One answer per token window of the text, combined (see `chunking`). */
      const askChunks = async (
        item: ScoreItemV1,
        usage: UsageTally,
        signal: AbortSignal,
        /** Filled with each chunk's calls when one failed: the error's trace. */
        failedTrace: unknown[],
      ) => {
        const chunking = settings.chunking!;
        const texts = await splitTokens(item.text, chunking.max_tokens, chunking.overlap);
        const prompts = texts.map((): TracedCall[] => []);
        // Every chunk ends before the item does: a failed chunk's error is the item's once the
        // others are answered, so the requests they sent are in its usage (they were added after
        // the result was written, which counted only the calls done by then).
        const settled = await Promise.allSettled(
          texts.map((text, index) =>
            ask(
              { ...scopeOf(item), text, chunk: { index, count: texts.length } },
              usage,
              signal,
              prompts[index]!,
            ),
          ),
        );
        const failures = settled.flatMap((chunk) =>
          chunk.status === 'rejected' ? [chunk.reason as unknown] : [],
        );
        if (failures.length > 0) {
          failedTrace.push(
            ...settled.map((chunk, index) => ({
              chunk: index,
              ...(chunk.status === 'rejected'
                ? { error: errorMessage(chunk.reason) }
                : {
                    label: chunk.value.label ?? null,
                    answers: tracedAnswers(chunk.value.answers),
                  }),
              prompts: prompts[index]!,
            })),
          );
          // A failure that stops the run (a 401) over an item's own error.
          throw failures.find(stopsRun) ?? failures[0];
        }
        const answers = settled.map(
          (chunk) => (chunk as PromiseFulfilledResult<LabelAnswer>).value,
        );
        const valid = answers.flatMap((answer) =>
          answer.label === undefined ? [] : [answer.label],
        );
        const label = combineLabels(valid, chunking.combine, positive);
        const last = answers.at(-1)!;
        return {
          label,
          ...(label === undefined
            ? {
                problem: `no chunk gave a valid label${last.problem ? `; the last: ${last.problem}` : ''}`,
              }
            : {}),
          answers: answers.flatMap((answer) => answer.answers),
          attempts: answers.reduce((sum, answer) => sum + answer.attempts, 0),
          corrections: answers.reduce((sum, answer) => sum + answer.corrections, 0),
          logprob: undefined,
          // Each chunk's label or why it has none, and its explanation: what the explanation names.
          votes: answers.map(
            (answer): ChunkVote =>
              answer.label === undefined
                ? { leftOut: 'without a valid label' }
                : { value: answer.label, explanation: explanationOf(answer.answers.at(-1)!) },
          ),
          chunks: answers.map((answer, index) => ({
            chunk: index,
            label: answer.label ?? null,
            answers: tracedAnswers(answer.answers),
            ...(answer.note === undefined ? {} : { answer_note: answer.note }),
            prompts: prompts[index]!,
          })),
        };
      };

      const scoreItem = async (item: ScoreItemV1, signal: AbortSignal): Promise<ScoreOutputV1> => {
        if (readsText && item.text.trim() === '')
          return emptyTextOutput(settings.empty_text_label, labels);
        const usage = emptyUsage();
        // Each call's rendered messages and raw answer (chunks keep their own).
        const prompts: TracedCall[] = [];
        const failedChunks: unknown[] = [];
        let answer: LabelAnswer & { chunks?: unknown[]; votes?: ChunkVote[] };
        try {
          answer = settings.chunking
            ? await askChunks(item, usage, signal, failedChunks)
            : await ask(scopeOf(item), usage, signal, prompts);
        } catch (error) {
          if (signal.aborted || stopsRun(error)) throw error;
          // What was asked and answered before the failure (chunks: every chunk's, and its error).
          const trace =
            failedChunks.length > 0
              ? { trace: { chunks: failedChunks } }
              : prompts.length > 0
                ? { trace: { prompts } }
                : {};
          return { ...errorOutput(error, 'call_failed'), usage, ...trace };
        }
        const trace = {
          answers: tracedAnswers(answer.answers),
          attempts: answer.attempts,
          corrections: answer.corrections,
          ...(answer.note === undefined ? {} : { answer_note: answer.note }),
          ...(answer.chunks
            ? { chunks: answer.chunks, combine: settings.chunking!.combine }
            : { prompts }),
        };
        if (answer.label === undefined) {
          return {
            value: null,
            status: 'error',
            usage,
            trace,
            error: {
              message: `the model gave no valid label after ${answer.answers.length} answers; last answer: ${quotedAnswer(answer.answers)}${whyNot(answer)}`,
              code: 'invalid_answer',
              retryable: false,
            },
          };
        }
        return {
          value: answer.label,
          status: 'ok',
          explanation: answer.votes
            ? combinedExplanation(settings.chunking!.combine, answer.votes, answer.label)
            : explanationOf(answer.answers.at(-1)!),
          ...(answer.logprob === undefined
            ? {}
            : { confidence: Math.min(1, Math.exp(answer.logprob)) }),
          usage,
          trace,
        };
      };

      return llmScore({
        kind: 'llm/classifier',
        name: env.name,
        labels,
        model: modelLabel(settings),
        answerSettings: pick(settings, answerFields),
        scoreItem,
        client,
      });
    },
  });
}

export const classifierFactory = createClassifierFactory();
