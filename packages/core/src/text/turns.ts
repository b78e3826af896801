import { z } from 'zod';
/** One turn of a transcript: a `Speaker:` line and the lines after it that have no prefix. */
export interface Turn {
  /** Lower-cased speaker; undefined for text before the first speaker line. */
  speaker: string | undefined;
  /** The turn's text without the prefix, its lines joined by `\n`. */
  text: string;
  /** Offset in the transcript where the turn's text starts (after `Speaker: `). */
  start: number;
}

// A speaker line is a line that matches `^\s*([A-Za-z][\w -]{0,30}?)\s*:\s?`; the rest of the line
// is the turn's text. Parsed by hand in place: no slice and no regular expression per line.

/** `\s` without `\n` (lines never hold one). */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return code !== 10;
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `[\w -]` */
function isNameCharacter(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 95 || code === 32 || code === 45;
}

/** Where the line starting at `from` stops: before its `\r\n` or `\n`, or at the end of the text. */
function lineStop(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  if (newline === -1) return text.length;
  return newline > from && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
}

/** Where the line after the one that stops at `stop` begins (past the end: text.length + 1). */
function nextLine(text: string, stop: number): number {
  if (stop >= text.length) return text.length + 1;
  return text.charCodeAt(stop) === 13 ? stop + 2 : stop + 1;
}

/**
 * A speaker name from settings as turns carry it: lower case, without the spaces around it or the
 * colon a transcript writes after it (`Caller:` is `caller`, as the line `Caller: hi` is read).
 */
export function speakerName(written: string): string {
  return written.trim().replace(/\s*:$/, '').toLowerCase();
}

/** A speaker name setting: any text that is still a name once `speakerName` has read it. */
export const speakerNameSchema = z
  .string()
  .refine((written) => speakerName(written) !== '', 'a speaker name, e.g. Agent');

/** The speaker of the last line `speakerStart` accepted. */
let lastSpeaker = '';

/**
 * Where the text of the line [from, stop) starts when it is a speaker line (its speaker then in
 * `lastSpeaker`), else -1.
 */
function speakerStart(text: string, from: number, stop: number): number {
  let at = from;
  while (at < stop && isSpace(text.charCodeAt(at))) at += 1;
  if (at >= stop || !isLetter(text.charCodeAt(at))) return -1;
  const nameStart = at;
  // The shortest name (at most 31 characters) followed by optional spaces and a colon.
  for (let nameEnd = nameStart + 1; ; nameEnd += 1) {
    let colon = nameEnd;
    while (colon < stop && isSpace(text.charCodeAt(colon))) colon += 1;
    if (colon < stop && text.charCodeAt(colon) === 58) {
      lastSpeaker = text.slice(nameStart, nameEnd).toLowerCase();
      const start = colon + 1;
      return start < stop && isSpace(text.charCodeAt(start)) ? start + 1 : start;
    }
    if (nameEnd - nameStart >= 31 || nameEnd >= stop) return -1;
    if (!isNameCharacter(text.charCodeAt(nameEnd))) return -1;
  }
}

/**
 * Reads the turns of a transcript one at a time, so a search that stops early does not split the
 * whole text. Lines without a prefix continue the turn before them; non-blank text before the first
 * speaker line is a turn without a speaker.
 */
export class TurnReader {
  private position = 0;
  /** A turn whose first line was read while finishing the one before, and where that line stops. */
  private pending: Turn | undefined;
  private pendingStop = 0;
  /** Whether a speaker line has been read (a text without any has no turns, only text). */
  sawSpeaker = false;

  constructor(private readonly text: string) {}

  /** The next turn, or undefined at the end of the text. */
  next(): Turn | undefined {
    const text = this.text;
    let current = this.pending;
    // Where the current turn's text stops.
    let end = this.pendingStop;
    // Whether the turn goes on past a line that ends in \r\n (its text then gets \n there).
    let crlf = false;
    this.pending = undefined;
    while (this.position <= text.length) {
      const from = this.position;
      const stop = lineStop(text, from);
      this.position = nextLine(text, stop);
      const start = speakerStart(text, from, stop);
      if (start !== -1) {
        this.sawSpeaker = true;
        const turn: Turn = { speaker: lastSpeaker, text: '', start };
        if (current) {
          this.pending = turn;
          this.pendingStop = stop;
          return finish(text, current, end, crlf);
        }
        current = turn;
      } else if (current) {
        if (text.charCodeAt(end) === 13) crlf = true;
      } else {
        if (text.slice(from, stop).trim() === '') continue;
        current = { speaker: undefined, text: '', start: from };
      }
      end = stop;
    }
    return current ? finish(text, current, end, crlf) : undefined;
  }
}

/** Sets a turn's text: the slice up to `end`, with `\r\n` between its lines made `\n`. */
function finish(text: string, turn: Turn, end: number, crlf: boolean): Turn {
  const slice = text.slice(turn.start, Math.max(turn.start, end));
  turn.text = crlf ? slice.replace(/\r\n/g, '\n') : slice;
  return turn;
}

/** Splits `Agent: hello` style lines into speaker and text; lines without a prefix continue the last turn. */
export function splitTurns(text: string): Turn[] {
  const reader = new TurnReader(text);
  const turns: Turn[] = [];
  for (let turn = reader.next(); turn; turn = reader.next()) turns.push(turn);
  return turns;
}

/** Whether a speaker line starts at or after `position`. */
function speakerLineFrom(text: string, position: number): boolean {
  for (let from = position; from <= text.length; ) {
    const stop = lineStop(text, from);
    if (speakerStart(text, from, stop) !== -1) return true;
    from = nextLine(text, stop);
  }
  return false;
}

/**
 * The turn (1-based, counted as `splitTurns` counts them) and speaker that hold `offset`, scanning
 * lines only up to it; turn 0 for a text without speaker lines.
 */
export function turnAt(
  text: string,
  offset: number,
): { speaker: string | undefined; turn: number } {
  let turn = 0;
  let speaker: string | undefined;
  let position = 0;
  while (position <= text.length) {
    const from = position;
    const stop = lineStop(text, from);
    position = nextLine(text, stop);
    if (speakerStart(text, from, stop) !== -1) {
      turn += 1;
      speaker = lastSpeaker;
    } else if (turn === 0 && text.slice(from, stop).trim() !== '') {
      // Text before the first speaker line is turn 1 when a speaker line follows, else no turn.
      turn = 1;
    }
    if (offset < position) break;
  }
  // A hit before any speaker line: turn 1 if one follows, else the text has no turns.
  if (speaker === undefined && turn === 1 && !speakerLineFrom(text, position)) turn = 0;
  return { speaker, turn };
}
