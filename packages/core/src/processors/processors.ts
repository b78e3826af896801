import { z } from 'zod';
import { speakerName, speakerNameSchema, splitTurns } from '../text/turns.js';
import {
  bindSemantic,
  semanticProblems,
  semanticProcessorSchema,
  semanticText,
} from './semantic-processor.js';
import { windowProcessorSchema, windowText } from './window-processor.js';

/** Text processors applied before a score sees an item (scorecard-level first, then the score's). */
export const processorSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('normalize'),
      /** Lower-case the text; default false. */
      lowercase: z.boolean().default(false),
      /** Collapse runs of spaces and tabs; default true. */
      collapse_whitespace: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      type: z.literal('speaker'),
      /** Keep only the lines of these speakers (`Agent:`-style prefixes, case-insensitive; `Agent` or `Agent:`). */
      speakers: z.array(speakerNameSchema).min(1),
    })
    .strict(),
  windowProcessorSchema,
  semanticProcessorSchema,
  z
    .object({
      type: z.literal('truncate'),
      /** Maximum characters kept. */
      max_chars: z.number().int().positive(),
      /** Keep the start or the end of the text; default start. */
      keep: z.enum(['start', 'end']).default('start'),
    })
    .strict(),
]);

export type ProcessorConfig = z.output<typeof processorSchema>;

/** Applies one processor to a text. */
export function applyProcessor(text: string, config: ProcessorConfig): string {
  switch (config.type) {
    case 'normalize': {
      let result = config.lowercase ? text.toLowerCase() : text;
      if (config.collapse_whitespace) result = result.replace(/[ \t]+/g, ' ').trim();
      return result;
    }
    case 'speaker': {
      const wanted = new Set(config.speakers.map(speakerName));
      return splitTurns(text)
        .filter((turn) => turn.speaker !== undefined && wanted.has(turn.speaker))
        .map((turn) => `${turn.speaker}: ${turn.text}`)
        .join('\n');
    }
    case 'window':
      return windowText(text, config);
    case 'semantic':
      throw new Error(
        'the semantic processor embeds text asynchronously: use applyProcessorsAsync (this path supports normalize, speaker, window and truncate)',
      );
    case 'truncate':
      if (text.length <= config.max_chars) return text;
      return config.keep === 'start'
        ? text.slice(0, config.max_chars)
        : text.slice(text.length - config.max_chars);
  }
}

/** Applies processors in order. */
export function applyProcessors(text: string, configs: readonly ProcessorConfig[]): string {
  let result = text;
  for (const config of configs) result = applyProcessor(result, config);
  return result;
}

/** Whether the processors need `applyProcessorsAsync` (a `semantic` one runs a model). */
export function hasAsyncProcessor(configs: readonly ProcessorConfig[]): boolean {
  return configs.some((config) => config.type === 'semantic');
}

/** Applies processors in order, the `semantic` ones too (their model loaded at first use). */
export async function applyProcessorsAsync(
  text: string,
  configs: readonly ProcessorConfig[],
): Promise<string> {
  let result = text;
  for (const config of configs)
    result =
      config.type === 'semantic'
        ? await semanticText(result, config)
        : applyProcessor(result, config);
  return result;
}

/** The processors with their file settings made absolute against the scorecard's folder. */
export function bindProcessors(
  configs: readonly ProcessorConfig[],
  baseDir: string,
): ProcessorConfig[] {
  return configs.map((config) =>
    config.type === 'semantic' ? bindSemantic(config, baseDir) : config,
  );
}

/** Problems of bound processors found before any text (a semantic model file or package missing). */
export function processorProblems(
  configs: readonly ProcessorConfig[],
): { index: number; field: string; message: string }[] {
  return configs.flatMap((config, index) =>
    config.type === 'semantic'
      ? semanticProblems(config).map((problem) => ({ index, ...problem }))
      : [],
  );
}
