import {
  redactedSlice,
  type ScoreItemV1,
  speakerName,
  speakerNameSchema,
  splitTurns,
  TurnReader,
  turnAt,
} from '@plexus/core';
import { z } from 'zod';

/** Settings that choose which part of a transcript a rule reads. */
export const scopeSettings = {
  /** `agent`, `caller` (same as `customer`), `any`, or another speaker name (`Caller:` too); default `any`. */
  speaker: speakerNameSchema.default('any'),
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

const synonyms = new Map([
  ['customer', 'caller'],
  ['client', 'caller'],
  ['representative', 'agent'],
  ['rep', 'agent'],
]);

/** The speaker a name stands for, from a lower-cased name. */
function canonicalLower(lower: string | undefined): string | undefined {
  return lower === undefined ? undefined : (synonyms.get(lower) ?? lower);
}

function canonical(speaker: string | undefined): string | undefined {
  return canonicalLower(speaker?.toLowerCase());
}

/** Per scope speaker: the lower-cased names that stand for it (`caller`: caller, customer, client). */
const namesOf = new Map<string, readonly (string | undefined)[] | undefined>();

/** The names a turn's lower-cased speaker must be one of to be kept; undefined keeps every turn. */
function speakerNames(speaker: string): readonly (string | undefined)[] | undefined {
  if (namesOf.has(speaker)) return namesOf.get(speaker);
  const wanted = canonicalLower(speakerName(speaker));
  // A name not among the synonyms stands for itself only: the candidates are complete.
  const names =
    wanted === 'any'
      ? undefined
      : [wanted, ...synonyms.keys()].filter((name) => canonicalLower(name) === wanted);
  namesOf.set(speaker, names);
  return names;
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

/** Segments by position, read as far as a search asks. */
export interface SegmentSource {
  at(index: number): Segment | undefined;
}

/** The whole text as one segment (turn -1: a hit's turn is found from its offset, see `placed`). */
export class WholeText implements SegmentSource {
  private readonly segment: Segment;

  constructor(text: string) {
    this.segment = { speaker: undefined, turn: -1, text };
  }

  at(index: number): Segment | undefined {
    return index === 0 ? this.segment : undefined;
  }
}

/**
 * The same segments as `scopeSegments`, read on demand: a search that stops at its first hit reads
 * only the turns up to it. Limits counted from the end need every turn and are read at once.
 */
export class ScopedSegments implements SegmentSource {
  private readonly read: Segment[] = [];
  private readonly reader: TurnReader | undefined;
  private readonly names: readonly (string | undefined)[] | undefined;
  private turn = 0;
  private charsLeft: number;
  private done = false;

  constructor(
    private readonly item: ScoreItemV1,
    private readonly scope: ScopeSettings,
  ) {
    this.names = speakerNames(scope.speaker);
    this.charsLeft = scope.first_chars ?? Number.POSITIVE_INFINITY;
    if (scope.last_turns !== undefined || scope.last_chars !== undefined) this.readAll();
    else this.reader = new TurnReader(item.text);
  }

  /** The segment at `index`, or undefined past the last. */
  at(index: number): Segment | undefined {
    while (index >= this.read.length && !this.done) this.readTurn();
    return this.read[index];
  }

  /**
   * Whether the segments are whole turns of the item's text, each its text's slice (its `\r\n`
   * made `\n`) between a speaker prefix and a line end: the text has speaker lines and no
   * character limit cuts a turn. Then a phrase (words apart from each other by whitespace, perhaps
   * between non-word lookarounds) found nowhere in the text is found in none of the segments.
   */
  wholeTurns(): boolean {
    if (this.reader === undefined || this.scope.first_chars !== undefined) return false;
    if (this.turn === 0 && !this.done) this.readTurn();
    return this.reader.sawSpeaker;
  }

  private readAll(): void {
    this.read.push(...scopeSegments(this.item, this.scope));
    this.done = true;
  }

  private readTurn(): void {
    const turn = this.reader!.next();
    // A text without speaker lines is read as structured segments or as one text.
    if (!turn || !this.reader!.sawSpeaker) {
      if (this.turn === 0) this.readAll();
      this.done = true;
      return;
    }
    this.turn += 1;
    // The reader gives speakers lower-cased.
    if (this.names !== undefined && !this.names.includes(turn.speaker)) return;
    const text = turn.text.length > this.charsLeft ? turn.text.slice(0, this.charsLeft) : turn.text;
    this.read.push({ speaker: turn.speaker, turn: this.turn, text });
    this.charsLeft -= turn.text.length;
    if (this.read.length === this.scope.first_turns || this.charsLeft <= 0) this.done = true;
  }
}

/** A segment searched whole (turn -1) narrowed to the turn that holds `start`. */
export function placed(segment: Segment, start: number): Segment {
  if (segment.turn !== -1) return segment;
  const position = turnAt(segment.text, start);
  return { speaker: position.speaker, turn: position.turn, text: segment.text };
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

/**
 * A short quote of the text around a match, redacted: a registered secret the quote would cut is
 * taken whole and replaced (the result line's redaction finds whole secrets only).
 */
export function quote(text: string, start: number, end: number, margin = 30): string {
  const from = Math.max(0, start - margin);
  const to = Math.min(text.length, end + margin);
  return `${from > 0 ? '…' : ''}${redactedSlice(text, from, to)}${to < text.length ? '…' : ''}`;
}
