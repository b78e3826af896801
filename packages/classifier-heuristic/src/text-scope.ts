import { type ScoreItemV1, splitTurns } from '@plexus/core';
import { z } from 'zod';

/** Settings that choose which part of a transcript a rule reads. */
export const scopeSettings = {
  /** `agent`, `caller` (same as `customer`), `any`, or another speaker name; default `any`. */
  speaker: z.string().min(1).default('any'),
  /** Only the first N turns (after the speaker filter). */
  first_turns: z.number().int().positive().optional(),
  /** Only the last N turns (after the speaker filter). */
  last_turns: z.number().int().positive().optional(),
  /** Only the first N characters of each kept turn's text, joined. */
  first_chars: z.number().int().positive().optional(),
  /** Only the last N characters. */
  last_chars: z.number().int().positive().optional(),
};

export type ScopeSettings = {
  speaker: string;
  first_turns?: number | undefined;
  last_turns?: number | undefined;
  first_chars?: number | undefined;
  last_chars?: number | undefined;
};

/** A piece of text a rule reads, with where it is in the transcript. */
export interface Segment {
  speaker: string | undefined;
  /** 1-based turn number in the whole transcript; 0 for text without turns. */
  turn: number;
  text: string;
}

const synonyms: Record<string, string> = {
  customer: 'caller',
  client: 'caller',
  representative: 'agent',
  rep: 'agent',
};

function canonical(speaker: string | undefined): string | undefined {
  if (speaker === undefined) return undefined;
  const lower = speaker.toLowerCase();
  return synonyms[lower] ?? lower;
}

function structuredSegments(metadata: Readonly<Record<string, unknown>>): Segment[] | undefined {
  const segments = metadata.segments;
  if (!Array.isArray(segments)) return undefined;
  const result: Segment[] = [];
  for (const [index, segment] of segments.entries()) {
    const { speaker, text } = (segment ?? {}) as { speaker?: unknown; text?: unknown };
    if (typeof text !== 'string') return undefined;
    result.push({
      speaker: typeof speaker === 'string' ? speaker : undefined,
      turn: index + 1,
      text,
    });
  }
  return result;
}

/**
 * The segments of an item a rule reads: the turns of `Agent:`/`Caller:` lines in the text, or the
 * item's structured `metadata.segments` ({speaker, text}) when the text has no speaker prefixes;
 * then the speaker filter, then the position limits.
 */
export function scopeSegments(item: ScoreItemV1, scope: ScopeSettings): Segment[] {
  const turns = splitTurns(item.text);
  let segments: Segment[] = turns.some((turn) => turn.speaker !== undefined)
    ? turns.map((turn, index) => ({ speaker: turn.speaker, turn: index + 1, text: turn.text }))
    : (structuredSegments(item.metadata) ?? [{ speaker: undefined, turn: 0, text: item.text }]);
  const wanted = canonical(scope.speaker);
  if (wanted !== 'any')
    segments = segments.filter((segment) => canonical(segment.speaker) === wanted);
  if (scope.first_turns !== undefined) segments = segments.slice(0, scope.first_turns);
  if (scope.last_turns !== undefined) segments = segments.slice(-scope.last_turns);
  if (scope.first_chars !== undefined) segments = limitChars(segments, scope.first_chars, 'start');
  if (scope.last_chars !== undefined) segments = limitChars(segments, scope.last_chars, 'end');
  return segments;
}

function limitChars(segments: Segment[], limit: number, from: 'start' | 'end'): Segment[] {
  const ordered = from === 'start' ? segments : [...segments].reverse();
  const kept: Segment[] = [];
  let left = limit;
  for (const segment of ordered) {
    if (left <= 0) break;
    const text = from === 'start' ? segment.text.slice(0, left) : segment.text.slice(-left);
    kept.push({ ...segment, text });
    left -= segment.text.length;
  }
  return from === 'start' ? kept : kept.reverse();
}

/** `agent turn 3`, or `text` for text without turns. */
export function describeSegment(segment: Segment): string {
  if (segment.turn === 0) return 'the text';
  return `${segment.speaker ?? 'unknown speaker'} turn ${segment.turn}`;
}

/** A short quote of the text around a match. */
export function quote(text: string, start: number, end: number, margin = 30): string {
  const from = Math.max(0, start - margin);
  const to = Math.min(text.length, end + margin);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}
