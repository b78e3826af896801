/**
 * A long text cut into windows of at most `max_tokens` tokens (o200k_base), each an exact piece of
 * the text: cut between turns (lines) when they fit, else between words, else between characters
 * (graphemes), never through one unless it alone is longer than a window (a letter under many
 * combining marks: then between its code points). It decoded token slices: a window's edge cut turns (`Agent:`
 * left at the end of one chunk, its words starting the next) and characters in two (a cut
 * character's bytes, kept by gpt-tokenizer's shared decoder, came out as U+FFFD in the overlap).
 */

type CountTokens = (text: string) => number;

/** A run of the text no window cuts: a word with the spaces before it, and its line's end. */
interface Piece {
  from: number;
  to: number;
  tokens: number;
  /** It ends its line (the next piece starts a turn). */
  endsLine: boolean;
}

// A word with the spaces before it (as the tokenizer reads them) and, last on its line, the line
// break; or a line of spaces; or spaces ending the text.
const piecePattern = /[^\S\n]*\S+(?:[^\S\n]*\n)?|[^\S\n]*\n|[^\S\n]+$/g;

/** The text's pieces, a piece longer than a window cut between graphemes. */
function piecesOf(text: string, maxTokens: number, count: CountTokens): Piece[] {
  const pieces: Piece[] = [];
  const add = (from: number, to: number) => {
    const piece = text.slice(from, to);
    const tokens = count(piece);
    if (tokens <= maxTokens) pieces.push({ from, to, tokens, endsLine: piece.endsWith('\n') });
    else pieces.push(...graphemePieces(text, from, to, maxTokens, count));
  };
  let position = 0;
  for (const match of text.matchAll(piecePattern)) {
    if (match.index > position) add(position, match.index);
    add(match.index, match.index + match[0].length);
    position = match.index + match[0].length;
  }
  if (position < text.length) add(position, text.length);
  return pieces;
}

/** A piece longer than a window: the longest runs of whole graphemes that fit, in order. */
function graphemePieces(
  text: string,
  from: number,
  to: number,
  maxTokens: number,
  count: CountTokens,
): Piece[] {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const ends: number[] = [];
  for (const { index, segment } of segmenter.segment(text.slice(from, to))) {
    // A grapheme of more tokens than a window (a letter under many combining marks) is cut
    // between its code points: with none fitting, the windows stood still on it forever.
    // A UTF-16 unit is at most 3 UTF-8 bytes, so a grapheme of few units fits uncounted.
    if (segment.length * 3 > maxTokens && count(segment) > maxTokens) {
      let end = from + index;
      for (const codePoint of segment) {
        end += codePoint.length;
        ends.push(end);
      }
    } else ends.push(from + index + segment.length);
  }
  const pieces: Piece[] = [];
  let start = from;
  let first = 0; // the first grapheme not yet in a piece
  while (first < ends.length) {
    // The most graphemes from `first` that fit (one always does: at most 4 tokens, cut as above):
    // 1, 2, 4... more until some do not, then halving between. Halving from the whole rest of a
    // long line without spaces (Chinese as written) counted half of it for every window.
    const fits = (index: number) => count(text.slice(start, ends[index])) <= maxTokens;
    let low = first;
    let step = 1;
    while (low + step < ends.length && fits(low + step)) {
      low += step;
      step *= 2;
    }
    let high = Math.min(ends.length - 1, low + step - 1);
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    const end = ends[low]!;
    const piece = text.slice(start, end);
    pieces.push({ from: start, to: end, tokens: count(piece), endsLine: piece.endsWith('\n') });
    start = end;
    first = low + 1;
  }
  return pieces;
}

/** Where the next window starts: whole turns among the last `overlap` tokens, else their words. */
function nextStart(pieces: readonly Piece[], start: number, end: number, overlap: number): number {
  let from = end;
  let tokens = 0;
  while (from > start + 1 && tokens + pieces[from - 1]!.tokens <= overlap) {
    tokens += pieces[from - 1]!.tokens;
    from -= 1;
  }
  return firstTurnStart(pieces, from, end) ?? from;
}

/** The first piece in `[from, to)` that starts a turn (the one before it ends a line). */
function firstTurnStart(pieces: readonly Piece[], from: number, to: number): number | undefined {
  for (let at = Math.max(from, 1); at < to; at += 1) if (pieces[at - 1]!.endsLine) return at;
  return from === 0 && to > 0 ? 0 : undefined;
}

/** The windows over the pieces, as `[start, end)` ranges. */
function windowRanges(
  pieces: readonly Piece[],
  maxTokens: number,
  overlap: number,
): [number, number][] {
  const before = [0]; // tokens before each piece
  for (const piece of pieces) before.push(before.at(-1)! + piece.tokens);
  const sum = (from: number, to: number) => before[to]! - before[from]!;
  const ranges: [number, number][] = [];
  let start = 0;
  let fresh = 0; // the first piece no earlier window holds
  for (;;) {
    // The end of the first turn with text no earlier window holds: it should fit whole.
    let turnEnd = fresh;
    while (turnEnd < pieces.length && !pieces[turnEnd]!.endsLine) turnEnd += 1;
    turnEnd = Math.min(turnEnd + 1, pieces.length);
    if (sum(fresh, turnEnd) <= maxTokens && sum(start, turnEnd) > maxTokens) {
      // The overlap leaves it no room: repeat less (whole turns when one starts in what is left).
      while (sum(start, turnEnd) > maxTokens) start += 1;
      start = firstTurnStart(pieces, start, fresh) ?? start;
    }
    let end = start;
    while (end < pieces.length && sum(start, end + 1) <= maxTokens) end += 1;
    if (end < pieces.length) {
      // End after the window's last whole turn, if it holds text no earlier window did.
      let lineEnd = end;
      while (lineEnd > fresh && !pieces[lineEnd - 1]!.endsLine) lineEnd -= 1;
      if (lineEnd > fresh && lineEnd > start) end = lineEnd;
    }
    ranges.push([start, end]);
    if (end >= pieces.length) return ranges;
    fresh = Math.max(fresh, end);
    start = overlap === 0 ? end : nextStart(pieces, start, end, overlap);
  }
}

/**
 * The text cut into windows of at most `maxTokens` tokens, each repeating up to `overlap` tokens
 * of the previous one (whole turns when one starts among them); a text that fits is one window.
 */
export async function splitTokens(
  text: string,
  maxTokens: number,
  overlap: number,
): Promise<string[]> {
  // Loaded on first use: building the tokenizer's tables takes about 0.2 s.
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
  if (countTokens(text) <= maxTokens) return [text];
  const pieces = piecesOf(text, maxTokens, countTokens);
  return windowRanges(pieces, maxTokens, overlap).flatMap(([start, end]) => {
    const windows: string[] = [];
    // Pieces counted apart may count a token more or less together: each window's own count.
    for (let from = start; from < end; ) {
      let to = end;
      while (
        to - from > 1 &&
        countTokens(text.slice(pieces[from]!.from, pieces[to - 1]!.to)) > maxTokens
      )
        to -= 1;
      windows.push(text.slice(pieces[from]!.from, pieces[to - 1]!.to));
      from = to;
    }
    return windows;
  });
}
