const prefix = /^\s*([A-Za-z][\w -]{0,30}?)\s*:/;

/** Where an offset of a transcript falls: its line, and the turn and speaker of that line. */
export interface TurnPosition {
  speaker: string | undefined;
  /** 1-based turn number, counting lines with a speaker prefix; 0 when the text has none. */
  turn: number;
  lineStart: number;
  lineEnd: number;
}

/**
 * Finds the turn that contains `offset` by scanning lines from the start, without splitting the
 * whole text: hits are usually early, and only hits need a place.
 */
export function turnAt(text: string, offset: number): TurnPosition {
  let turn = 0;
  let speaker: string | undefined;
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const match = prefix.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + 40)));
    if (match) {
      turn += 1;
      speaker = match[1]!.toLowerCase();
    }
    if (offset <= lineEnd || newline === -1) return { speaker, turn, lineStart, lineEnd };
    lineStart = newline + 1;
  }
}
