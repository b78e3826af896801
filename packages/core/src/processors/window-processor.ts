import { z } from 'zod';
import { indelRatio } from '../text/indel-ratio.js';
import { FuzzyTimeLimit, type PhraseHit, PhraseMatcher } from '../text/phrase-matcher.js';
import { speakerName, speakerNameSchema, splitTurns } from '../text/turns.js';

/** `window`: keep the text around keywords (a relevance filter by words). */
export const windowProcessorSchema = z
  .object({
    type: z.literal('window'),
    /** Keep only the text around these keywords (case-insensitive, whole words). */
    keywords: z.array(z.string().min(1)).min(1),
    /** Words kept before and after each hit; default 30 (unless `turns` is set). */
    words: z.number().int().min(0).optional(),
    /** Keep whole turns instead: the matching turn and this many turns before and after it. */
    turns: z.number().int().min(0).optional(),
    /** Also accept near matches (the phrase matcher of `heuristic/keywords`): similarity 0..100. */
    fuzzy: z
      .object({
        threshold: z.number().min(0).max(100).default(85),
        /** Time the fuzzy keywords may take on one text: past it the item fails, saying why. */
        timeout_ms: z.number().int().min(10).max(600_000).default(10_000),
      })
      .strict()
      .optional(),
    /** Only hits in these speakers' turns count (`Agent:`-style prefixes, case-insensitive; `Agent` or `Agent:`). */
    speakers: z.array(speakerNameSchema).min(1).optional(),
    /** Text used when no keyword occurs: `empty` (the default) or `full` (the whole text). */
    fallback: z.enum(['empty', 'full']).default('empty'),
  })
  .strict()
  .refine((config) => config.words === undefined || config.turns === undefined, {
    message: 'set words or turns, not both',
    path: ['turns'],
  });

export type WindowConfig = z.output<typeof windowProcessorSchema>;

/** Words kept around a hit when neither `words` nor `turns` is set. */
export const defaultWindowWords = 30;

/** One turn of the text with its words' positions (in `text`, the turn's own text). */
export interface TurnWords {
  prefix: string;
  speaker: string | undefined;
  text: string;
  words: { start: number; end: number }[];
}

/** The text's turns with their `Speaker:` prefix as written; text without speakers is one turn. */
export function turnsOf(text: string): TurnWords[] {
  const turns = splitTurns(text);
  const parsed = turns.length > 0 ? turns : [{ speaker: undefined, text, start: 0 }];
  return parsed.map((turn) => {
    const lineStart = text.lastIndexOf('\n', turn.start - 1) + 1;
    const prefix = turn.speaker === undefined ? '' : text.slice(lineStart, turn.start).trim();
    const words = [...turn.text.matchAll(/\S+/g)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
    }));
    return { prefix, speaker: turn.speaker, text: turn.text, words };
  });
}

function hitsIn(
  text: string,
  matchers: readonly PhraseMatcher[],
  time: { deadline: number; limitMs: number },
): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const matcher of matchers) {
    for (let hit = matcher.nextExact(text, 0); hit; hit = matcher.nextExact(text, hit.end))
      hits.push(hit);
    try {
      hits.push(...matcher.findFuzzy(text, time.deadline));
    } catch (error) {
      if (!(error instanceof FuzzyTimeLimit)) throw error;
      throw new Error(
        `the window's fuzzy keywords took longer than ${time.limitMs} ms on this item (${error.words} words): use exact keywords or fewer of them, cut the text first (speaker, truncate), or raise fuzzy.timeout_ms`,
      );
    }
  }
  return hits;
}

/** Marks kept words (`keep[turn][word]`); returns the number of hits. */
function markWindows(turns: readonly TurnWords[], config: WindowConfig, keep: Uint8Array[]) {
  const matchers = config.keywords.map(
    (keyword) =>
      new PhraseMatcher(keyword, {
        wholeWord: true,
        caseSensitive: false,
        fuzzy: config.fuzzy && { threshold: config.fuzzy.threshold, ratio: indelRatio },
      }),
  );
  const speakers = config.speakers && new Set(config.speakers.map(speakerName));
  // Every word's position in the whole text, so that word windows cross turn boundaries.
  const flat = turns.flatMap((turn, turnIndex) => turn.words.map((_, word) => [turnIndex, word]));
  const offsets: number[] = [];
  for (const turn of turns) offsets.push((offsets.at(-1) ?? 0) + turn.words.length);
  offsets.unshift(0);
  let hits = 0;
  const limitMs = config.fuzzy?.timeout_ms ?? Number.POSITIVE_INFINITY;
  const time = { deadline: performance.now() + limitMs, limitMs };
  turns.forEach((turn, turnIndex) => {
    if (speakers && (turn.speaker === undefined || !speakers.has(turn.speaker))) return;
    for (const hit of hitsIn(turn.text, matchers, time)) {
      hits += 1;
      if (config.turns !== undefined) {
        const from = Math.max(0, turnIndex - config.turns);
        const to = Math.min(turns.length - 1, turnIndex + config.turns);
        for (let index = from; index <= to; index += 1) keep[index]!.fill(1);
        continue;
      }
      const around = config.words ?? defaultWindowWords;
      const first = turn.words.findIndex((word) => word.end > hit.start);
      const last = turn.words.findLastIndex((word) => word.start < hit.end);
      const from = Math.max(0, offsets[turnIndex]! + first - around);
      const to = Math.min(flat.length - 1, offsets[turnIndex]! + last + around);
      for (let index = from; index <= to; index += 1) {
        const [keptTurn, keptWord] = flat[index]!;
        keep[keptTurn!]![keptWord!] = 1;
      }
    }
  });
  return hits;
}

/** The kept words of one turn, whole when every word is kept; `…` marks the words left out. */
function keptText(turn: TurnWords, kept: Uint8Array): string {
  if (kept.every(Boolean)) return turn.text;
  const runs: string[] = [];
  let run: string[] = [];
  turn.words.forEach((word, index) => {
    if (kept[index]) run.push(turn.text.slice(word.start, word.end));
    else if (run.length > 0) {
      runs.push(run.join(' '));
      run = [];
    }
  });
  if (run.length > 0) runs.push(run.join(' '));
  const cutStart = kept[0] ? '' : '… ';
  const cutEnd = kept[kept.length - 1] ? '' : ' …';
  return `${cutStart}${runs.join(' … ')}${cutEnd}`;
}

/**
 * The text around the keywords' hits. Turns stay on their own lines with their speaker prefix;
 * overlapping windows merge; a line `…` stands for turns left out between kept ones.
 */
export function windowText(text: string, config: WindowConfig): string {
  const turns = turnsOf(text);
  const keep = turns.map((turn) => new Uint8Array(turn.words.length));
  if (markWindows(turns, config, keep) === 0) return config.fallback === 'full' ? text : '';
  const lines: string[] = [];
  let gap = false;
  turns.forEach((turn, index) => {
    const kept = keep[index]!;
    if (!kept.some(Boolean)) {
      gap = lines.length > 0 || gap;
      return;
    }
    if (gap && lines.length > 0) lines.push('…');
    gap = false;
    const body = keptText(turn, kept);
    lines.push(turn.prefix ? `${turn.prefix} ${body}` : body);
  });
  return lines.join('\n');
}
