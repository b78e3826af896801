import { pathToFileURL } from 'node:url';
import { errorMessage, findPackage, MissingDependencyError, PlexusError } from '@plexus/core';

/** The optimizer as a local GGUF model run in this process by @plexus/classifier-llm's provider. */
export interface LocalOptimizer {
  provider: 'llama-cpp';
  /** Absolute path of the GGUF file. */
  model: string;
  /** Folders @plexus/classifier-llm is looked up from, as score packages are (the scorecard's first). */
  searchFrom: readonly string[];
}

/** The part of @plexus/classifier-llm's main entry the CLI uses (loaded at run time, like a score package). */
interface LocalChatProvider {
  complete(
    request: {
      model: string;
      messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
      temperature: number;
      maxTokens: number;
      logprobs: boolean;
    },
    signal: AbortSignal,
  ): Promise<{ content: string; inputTokens: number; outputTokens: number }>;
}
type CreateProvider = (options: {
  modelPath: () => Promise<string>;
  jsonSchema?: object;
  timeoutMs?: number;
}) => LocalChatProvider;

const packageName = '@plexus/classifier-llm';
const installHint = `npm install ${packageName} node-llama-cpp@3.21.1 (beside the scorecard)`;

async function loadCreateProvider(searchFrom: readonly string[]): Promise<CreateProvider> {
  const found = findPackage(packageName, searchFrom);
  if (!found?.entry)
    throw new MissingDependencyError(
      packageName,
      `--optimizer-provider llama-cpp runs the model with ${packageName}, which is not installed${found ? ' or not built' : ''} where the scorecard is; ${installHint}`,
    );
  let module: { createLlamaCppProvider?: unknown };
  try {
    module = (await import(pathToFileURL(found.entry).href)) as typeof module;
  } catch (error) {
    throw new PlexusError(`${packageName} failed to load: ${errorMessage(error)}`);
  }
  if (typeof module.createLlamaCppProvider !== 'function')
    throw new MissingDependencyError(
      packageName,
      `the installed ${packageName} (${found.folder}) exports no createLlamaCppProvider: update it; ${installHint}`,
    );
  return module.createLlamaCppProvider as CreateProvider;
}

/** Longest text the grammar lets the local model write per field (bounds its time per answer). */
const descriptionChars = 160;
const reasonChars = 120;

/**
 * The JSON schema a local optimizer's answer is held to by node-llama-cpp's grammar: at most
 * `candidates` edits, each naming one of `nodes`, describing every label, with a one-line reason.
 * The prompt itself is kept (a small model does not rewrite whole prompts reliably).
 */
export function candidateSchema(options: {
  nodes: readonly string[];
  labels: readonly string[];
  candidates: number;
}): object {
  const descriptions = Object.fromEntries(
    options.labels.map((label) => [
      label,
      { type: 'string', minLength: 3, maxLength: descriptionChars },
    ]),
  );
  return {
    type: 'object',
    properties: {
      candidates: {
        type: 'array',
        minItems: 1,
        maxItems: Math.max(1, options.candidates),
        items: {
          type: 'object',
          properties: {
            node: { enum: [...options.nodes] },
            label_descriptions: {
              type: 'object',
              properties: descriptions,
              required: [...options.labels],
            },
            reason: { type: 'string', minLength: 3, maxLength: reasonChars },
          },
          required: ['node', 'label_descriptions', 'reason'],
        },
      },
    },
    required: ['candidates'],
  };
}

/** Asks the local model once; its answer follows `schema` when one is given. Costs nothing. */
export async function askLocal(
  optimizer: LocalOptimizer,
  messages: readonly { role: string; content: string }[],
  schema: object | undefined,
): Promise<{ content: string; inputTokens: number; outputTokens: number }> {
  const create = await loadCreateProvider(optimizer.searchFrom);
  const provider = create({
    modelPath: async () => optimizer.model,
    jsonSchema: schema,
    // A long answer from a small model on a busy CPU: minutes, not the scorer's 60 s.
    timeoutMs: 600_000,
  });
  try {
    return await provider.complete(
      {
        model: optimizer.model,
        messages: messages.map((message) => ({
          role: message.role === 'system' || message.role === 'assistant' ? message.role : 'user',
          content: message.content,
        })),
        temperature: 0,
        maxTokens: 2048,
        logprobs: false,
      },
      new AbortController().signal,
    );
  } catch (error) {
    throw new PlexusError(`optimizer model (llama-cpp ${optimizer.model}): ${errorMessage(error)}`);
  }
}
