import { availableParallelism } from 'node:os';
import { MissingDependencyError } from '@plexus/core';
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { ChatProvider, ChatRequest, ChatResponse } from './chat-provider.js';
import { ProviderCallError } from './retry-policy.js';

type LlamaModule = typeof NodeLlamaCpp;
type Llama = NodeLlamaCpp.Llama;
type LlamaModel = NodeLlamaCpp.LlamaModel;
type LlamaChat = NodeLlamaCpp.LlamaChat;
type ChatHistoryItem = NodeLlamaCpp.ChatHistoryItem;

export interface LlamaCppProviderOptions {
  /** The GGUF file (resolved lazily: a registry download may be needed first). */
  modelPath: () => Promise<string>;
  /** Requests answered side by side: one context sequence each; default 1. */
  parallel?: number;
  /** Tokens of context per sequence; default 4096. */
  contextSize?: number;
  /** Per-request timeout in milliseconds; default 60,000. */
  timeoutMs?: number;
  /** CPU threads per evaluation; default half the cores (at least 1). */
  threads?: number;
  /**
   * A JSON schema (node-llama-cpp's supported subset) that answers to requests without `labels`
   * must follow, enforced by a grammar: a small model's answer then always parses.
   */
  jsonSchema?: object;
}

/**
 * Half the cores: llama.cpp's threads spin while they wait, so on a busy machine every thread
 * beyond the free cores costs far more than it brings (measured on 2 cores with 2 busy processes:
 * 14.2 s per answer with 2 threads, 2.4 s with 1; idle, 2.2 s and 2.1 s).
 */
export function defaultThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

let runtime: Promise<{ module: LlamaModule; llama: Llama }> | undefined;

/** node-llama-cpp, imported; a missing package says what to install. */
export async function importLlamaCpp(): Promise<LlamaModule> {
  try {
    return (await import('node-llama-cpp')) as LlamaModule;
  } catch (error) {
    throw new MissingDependencyError(
      'node-llama-cpp',
      'provider: llama-cpp needs node-llama-cpp; install it with: npm install node-llama-cpp@3.21.1',
      { cause: error },
    );
  }
}

/** node-llama-cpp and one CPU Llama per process, loaded on the first call. */
function loadLlamaCpp(): Promise<{ module: LlamaModule; llama: Llama }> {
  runtime ??= (async () => {
    const module = await importLlamaCpp();
    // Never more threads than cores: oversubscribed, llama.cpp gets many times slower.
    const llama = await module.getLlama({
      gpu: false,
      maxThreads: availableParallelism(),
      logLevel: module.LlamaLogLevel.error,
    });
    return { module, llama };
  })().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

interface LoadedModel {
  module: LlamaModule;
  llama: Llama;
  model: LlamaModel;
  free: LlamaChat[];
  waiting: ((chat: LlamaChat) => void)[];
  grammars: Map<string, Promise<NodeLlamaCpp.LlamaJsonSchemaGrammar<never>>>;
}

const models = new Map<string, Promise<LoadedModel>>();

function loadModel(
  path: string,
  parallel: number,
  contextSize: number,
  threads: number,
): Promise<LoadedModel> {
  const key = `${path}|${parallel}|${contextSize}|${threads}`;
  let loaded = models.get(key);
  if (!loaded) {
    loaded = (async () => {
      const { module, llama } = await loadLlamaCpp();
      let model: LlamaModel;
      try {
        model = await llama.loadModel({ modelPath: path });
      } catch (error) {
        throw new ProviderCallError(
          `cannot load the GGUF model ${path}: ${error instanceof Error ? error.message : String(error)}; check the path in the score's model setting`,
          { status: 400, cause: error, stopsRun: true },
        );
      }
      const context = await model.createContext({
        sequences: parallel,
        contextSize,
        threads,
      });
      const free: LlamaChat[] = [];
      for (let index = 0; index < parallel; index += 1)
        free.push(new module.LlamaChat({ contextSequence: context.getSequence() }));
      return { module, llama, model, free, waiting: [], grammars: new Map() };
    })().catch((error: unknown) => {
      models.delete(key);
      throw error;
    });
    models.set(key, loaded);
  }
  return loaded;
}

function take(loaded: LoadedModel): Promise<LlamaChat> {
  const chat = loaded.free.pop();
  if (chat) return Promise.resolve(chat);
  return new Promise((resolve) => loaded.waiting.push(resolve));
}

function give(loaded: LoadedModel, chat: LlamaChat): void {
  const next = loaded.waiting.shift();
  if (next) next(chat);
  else loaded.free.push(chat);
}

function grammarFor(loaded: LoadedModel, labels: readonly string[]) {
  const key = JSON.stringify(labels);
  let grammar = loaded.grammars.get(key);
  if (!grammar) {
    // Label first: a small local model reasons poorly, and the answer must not wait for it.
    grammar = loaded.llama.createGrammarForJsonSchema({
      type: 'object',
      properties: {
        label: { enum: [...labels] },
        reasoning: { type: 'string', maxLength: 300 },
      },
      required: ['label', 'reasoning'],
    } as const) as unknown as Promise<NodeLlamaCpp.LlamaJsonSchemaGrammar<never>>;
    loaded.grammars.set(key, grammar);
  }
  return grammar;
}

/** The grammar of `jsonSchema`, made once per loaded model and schema. */
function schemaGrammar(loaded: LoadedModel, schema: object) {
  const key = `schema:${JSON.stringify(schema)}`;
  let grammar = loaded.grammars.get(key);
  if (!grammar) {
    // The schema is the caller's, known only at run time: the typed overload cannot infer it.
    const create = loaded.llama.createGrammarForJsonSchema.bind(loaded.llama) as (
      schema: object,
    ) => Promise<NodeLlamaCpp.LlamaJsonSchemaGrammar<never>>;
    grammar = create(schema);
    loaded.grammars.set(key, grammar);
  }
  return grammar;
}

/** Tokens of the answer's start (a label comes first) that must fit beside the prompt. */
const answerStartTokens = 32;

/**
 * The prompt's tokens as the model's chat template renders them, and whether they fit in the
 * sequence's context with the start of the answer (`max_tokens`, at most 32 tokens). Beyond it
 * node-llama-cpp failed the call as a model error ("Failed to compress chat history for context
 * shift"), retried 4 times as one. A longer answer may still shift the context as it grows.
 */
function promptFits(chat: LlamaChat, history: ChatHistoryItem[], maxTokens: number) {
  const { contextText } = chat.chatWrapper.generateContextState({ chatHistory: history });
  const tokens = contextText.tokenize(chat.model.tokenizer).length;
  const room = chat.sequence.contextSize - Math.min(maxTokens, answerStartTokens);
  return { tokens, fits: tokens <= room };
}

function historyOf(request: ChatRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = request.messages.map((message) =>
    message.role === 'assistant'
      ? { type: 'model', response: [message.content] }
      : { type: message.role, text: message.content },
  );
  history.push({ type: 'model', response: [] });
  return history;
}

/**
 * A local GGUF model through node-llama-cpp (an optional peer dependency, imported on first use),
 * on the CPU. Labels are enforced by a JSON-schema grammar: the answer is always
 * `{"label": <one of the labels>, "reasoning": ...}`.
 */
export function createLlamaCppProvider(options: LlamaCppProviderOptions): ChatProvider {
  const parallel = options.parallel ?? 1;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    name: 'llama-cpp',
    async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
      const path = await options.modelPath();
      const loaded = await loadModel(
        path,
        parallel,
        options.contextSize ?? 4096,
        options.threads ?? defaultThreads(),
      );
      const grammar = request.labels
        ? await grammarFor(loaded, request.labels)
        : options.jsonSchema
          ? await schemaGrammar(loaded, options.jsonSchema)
          : undefined;
      const chat = await take(loaded);
      const history = historyOf(request);
      const room = promptFits(chat, history, request.maxTokens);
      if (!room.fits) {
        give(loaded, chat);
        throw new ProviderCallError(
          `the prompt (${room.tokens} tokens) and the start of its answer do not fit in the local model's context of ${chat.sequence.contextSize} tokens (context_size): raise context_size, or set chunking to ask the text in parts`,
          { status: 400, code: 'context_length_exceeded', reachedServer: false },
        );
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const before = chat.sequence.tokenMeter.getState();
      try {
        const answer = await chat.generateResponse(history, {
          grammar,
          maxTokens: request.maxTokens,
          temperature: request.temperature,
          signal: AbortSignal.any([signal, timeout]),
        });
        const used = chat.sequence.tokenMeter.diff(before);
        const cut = answer.metadata.stopReason === 'maxTokens';
        return {
          content: answer.response,
          inputTokens: used.usedInputTokens,
          outputTokens: used.usedOutputTokens,
          cachedTokens: 0,
          finishReason: cut ? 'length' : 'stop',
          ...(cut ? { cutAtMaxTokens: true } : {}),
        };
      } catch (error) {
        if (signal.aborted) throw error;
        if (timeout.aborted)
          throw new ProviderCallError(`the local model took more than ${timeoutMs} ms`, {
            cause: error,
            code: 'timeout',
          });
        throw new ProviderCallError(
          `the local model failed: ${error instanceof Error ? error.message : String(error)}`,
          { status: 500, cause: error },
        );
      } finally {
        give(loaded, chat);
      }
    },
  };
}
