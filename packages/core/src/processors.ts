import { z } from 'zod';
import { splitTurns } from './turns.js';

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
      /** Keep only the lines of these speakers (`Agent:`-style prefixes, case-insensitive). */
      speakers: z.array(z.string().min(1)).min(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('window'),
      /** Keep only the text around these keywords (case-insensitive, whole words). */
      keywords: z.array(z.string().min(1)).min(1),
      /** Words kept before and after each hit; default 30. */
      words: z.number().int().min(0).default(30),
      /** Text used when no keyword occurs; default empty. */
      fallback: z.enum(['empty', 'full']).default('empty'),
    })
    .strict(),
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function windowText(text: string, config: Extract<ProcessorConfig, { type: 'window' }>): string {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const pattern = new RegExp(
    `\\b(?:${config.keywords.map((keyword) => escapeRegExp(keyword.toLowerCase())).join('|')})\\b`,
  );
  const keep = new Uint8Array(words.length);
  const lowered = words.map((word) => word.toLowerCase());
  // Multi-word keywords: test a small span starting at each word.
  const span = Math.max(...config.keywords.map((keyword) => keyword.split(/\s+/).length));
  let hits = 0;
  for (let index = 0; index < words.length; index += 1) {
    if (!pattern.test(lowered.slice(index, index + span).join(' '))) continue;
    hits += 1;
    const from = Math.max(0, index - config.words);
    const to = Math.min(words.length, index + span + config.words);
    keep.fill(1, from, to);
  }
  if (hits === 0) return config.fallback === 'full' ? text : '';
  const pieces: string[] = [];
  let current: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    if (keep[index]) current.push(words[index]!);
    else if (current.length > 0) {
      pieces.push(current.join(' '));
      current = [];
    }
  }
  if (current.length > 0) pieces.push(current.join(' '));
  return pieces.join(' … ');
}

/** Applies one processor to a text. */
export function applyProcessor(text: string, config: ProcessorConfig): string {
  switch (config.type) {
    case 'normalize': {
      let result = config.lowercase ? text.toLowerCase() : text;
      if (config.collapse_whitespace) result = result.replace(/[ \t]+/g, ' ').trim();
      return result;
    }
    case 'speaker': {
      const wanted = new Set(config.speakers.map((speaker) => speaker.toLowerCase()));
      return splitTurns(text)
        .filter((turn) => turn.speaker !== undefined && wanted.has(turn.speaker))
        .map((turn) => `${turn.speaker}: ${turn.text}`)
        .join('\n');
    }
    case 'window':
      return windowText(text, config);
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
