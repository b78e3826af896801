import type { PhraseHit } from './phrase-hit.js';

/** How phrases match: as whole words or anywhere, ignoring case or not (as `PhraseMatcher`). */
export interface PhraseIndexOptions {
  wholeWord: boolean;
  caseSensitive: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression of one phrase: its words with any whitespace between them. */
export function phrasePattern(phrase: string, wholeWord: boolean): string {
  const body = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return wholeWord ? `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])` : body;
}

// Characters a case-insensitive (`iu`) regular expression treats as one, reduced to one code
// point: upper then lower case where both are single code points. Unicode 14 added three simple
// foldings that case mapping does not give; they are listed. Wrong only if too coarse (the regex
// of a candidate decides), never too fine: tested against V8 over every code point.
const extraFoldings = new Map([
  [0x1fd3, 0x0390],
  [0x1fe3, 0x03b0],
  [0xfb05, 0xfb06],
]);
const foldCache = new Map<number, number>();

/** One code point standing for every code point an `iu` regex treats as equal to `code`. */
export function foldCodePoint(code: number): number {
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  const cached = foldCache.get(code);
  if (cached !== undefined) return cached;
  const extra = extraFoldings.get(code);
  const character = String.fromCodePoint(code);
  const single = (text: string) =>
    text.length > 0 && text.length === String.fromCodePoint(text.codePointAt(0)!).length
      ? text.codePointAt(0)!
      : undefined;
  const upper = single(character.toUpperCase());
  const folded =
    extra !== undefined
      ? foldCodePoint(extra)
      : upper !== undefined
        ? (single(String.fromCodePoint(upper).toLowerCase()) ?? upper)
        : (single(character.toLowerCase()) ?? code);
  foldCache.set(code, folded);
  return folded;
}

const whitespace = /\s/u;

/** A text with whitespace runs as one space (and case folded), and where each unit came from. */
function foldText(text: string, caseSensitive: boolean): { folded: string; origin: Int32Array } {
  const origin = new Int32Array(text.length + 1);
  const parts: string[] = [];
  let length = 0;
  let inSpace = false;
  for (let index = 0; index < text.length; ) {
    const code = text.codePointAt(index)!;
    const size = code > 0xffff ? 2 : 1;
    const isSpace = code === 32 || (code > 32 && code < 0x80 ? false : isWhitespace(code));
    if (isSpace) {
      if (!inSpace) {
        origin[length] = index;
        parts.push(' ');
        length += 1;
      }
      inSpace = true;
    } else {
      const folded = String.fromCodePoint(caseSensitive ? code : foldCodePoint(code));
      for (let unit = 0; unit < folded.length; unit += 1) origin[length + unit] = index;
      parts.push(folded);
      length += folded.length;
      inSpace = false;
    }
    index += size;
  }
  origin[length] = text.length;
  return { folded: parts.join(''), origin: origin.subarray(0, length + 1) };
}

function isAscii(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (text.charCodeAt(index) >= 0x80) return false;
  return true;
}

function isWhitespace(code: number): boolean {
  return (code >= 9 && code <= 13) || (code >= 0x80 && whitespace.test(String.fromCodePoint(code)));
}

/** A phrase as its index key: words folded, one space between them. */
function phraseKey(phrase: string, caseSensitive: boolean): string {
  return foldText(phrase.trim(), caseSensitive).folded;
}

/**
 * Finds every phrase of a list in a text in one pass, however many phrases there are: the phrases'
 * keys (folded, whitespace as one space) are sorted, and from each possible start the keys that
 * begin with the text there are narrowed by binary search, one character at a time. Each candidate
 * is then confirmed by its phrase's own regular expression at that position (compiled the first
 * time the phrase is a candidate), so hits are exactly those of one regex per phrase.
 */
export class PhraseIndex {
  private readonly keys: string[] = [];
  /** Phrases (indexes into the list) of each key; several phrases may share a key. */
  private readonly owners: number[][] = [];
  private readonly regexes: (RegExp | undefined)[];
  private readonly wordCharacter: RegExp;
  /** Phrases with no key (only whitespace): searched by their regex alone. */
  private readonly unkeyed: number[] = [];
  /** Length of each phrase's key (folded units), and whether the phrase is all ASCII. */
  private readonly keyLengths: Int32Array;
  private readonly ascii: Uint8Array;

  constructor(
    private readonly phrases: readonly string[],
    private readonly options: PhraseIndexOptions,
  ) {
    this.regexes = new Array(phrases.length);
    this.keyLengths = new Int32Array(phrases.length);
    this.ascii = new Uint8Array(phrases.length);
    this.wordCharacter = new RegExp('[\\p{L}\\p{N}_]', options.caseSensitive ? 'u' : 'iu');
    const byKey = new Map<string, number[]>();
    phrases.forEach((phrase, index) => {
      const key = phraseKey(phrase, options.caseSensitive);
      this.keyLengths[index] = key.length;
      this.ascii[index] = isAscii(phrase, 0, phrase.length) ? 1 : 0;
      if (key === '') this.unkeyed.push(index);
      else {
        const list = byKey.get(key);
        if (list) list.push(index);
        else byKey.set(key, [index]);
      }
    });
    for (const key of [...byKey.keys()].sort()) {
      this.keys.push(key);
      this.owners.push(byKey.get(key)!);
    }
  }

  /**
   * Every phrase's hits in `text`, by phrase index, each list in order and not overlapping (as
   * successive `exec` calls of the phrase's regex from the end of the last hit give them).
   */
  hits(text: string): Map<number, PhraseHit[]> {
    const found = new Map<number, PhraseHit[]>();
    const { folded, origin } = foldText(text, this.options.caseSensitive);
    const lastEnd = new Map<number, number>();
    for (let start = 0; start < folded.length; start += 1) {
      if (folded.charCodeAt(start) === 32) continue;
      const at = origin[start]!;
      if (start > 0 && origin[start - 1] === at) continue; // inside one folded character
      if (this.options.wholeWord && at > 0 && this.isWordBefore(text, at)) continue;
      this.matchFrom(folded, start, (phrase) => {
        if ((lastEnd.get(phrase) ?? -1) > at) return;
        const end = origin[start + this.keyLengths[phrase]!]!;
        const hit = this.confirm(phrase, text, at, end);
        if (!hit) return;
        lastEnd.set(phrase, hit.end);
        const list = found.get(phrase);
        if (list) list.push(hit);
        else found.set(phrase, [hit]);
      });
    }
    for (const phrase of this.unkeyed) {
      const hits = this.scan(phrase, text);
      if (hits.length > 0) found.set(phrase, hits);
    }
    return found;
  }

  private isWordBefore(text: string, at: number): boolean {
    const code = text.codePointAt(at - 1)!;
    // A low surrogate: the character before is the whole pair.
    const before =
      code >= 0xdc00 && code <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text[at - 1]!;
    return this.wordCharacter.test(before);
  }

  private isWordAt(text: string, at: number): boolean {
    return this.wordCharacter.test(String.fromCodePoint(text.codePointAt(at)!));
  }

  /** Calls `onKey` for each phrase whose key the folded text has at `start`. */
  private matchFrom(folded: string, start: number, onKey: (phrase: number) => void): void {
    const keys = this.keys;
    let low = 0;
    let high = keys.length;
    for (let depth = 0; low < high; depth += 1) {
      // Sorted: a key that ends here is the first of the range.
      if (keys[low]!.length === depth) {
        for (const phrase of this.owners[low]!) onKey(phrase);
        low += 1;
        if (low >= high) return;
      }
      if (start + depth >= folded.length) return;
      const unit = folded.charCodeAt(start + depth);
      low = boundary(keys, low, high, depth, unit, false);
      high = boundary(keys, low, high, depth, unit, true);
    }
  }

  private regexOf(phrase: number): RegExp {
    let regex = this.regexes[phrase];
    if (!regex) {
      const flags = this.options.caseSensitive ? 'uy' : 'iuy';
      regex = new RegExp(phrasePattern(this.phrases[phrase]!, this.options.wholeWord), flags);
      this.regexes[phrase] = regex;
    }
    return regex;
  }

  /**
   * The hit of a candidate, whose key matched the folded text from `at` to `end`. An ASCII phrase
   * over ASCII text needs no regex: folding is exact there, so only the word edge after it is
   * left to check. Anything else is decided by the phrase's regex.
   */
  private confirm(phrase: number, text: string, at: number, end: number): PhraseHit | undefined {
    if (this.ascii[phrase] === 1 && isAscii(text, at, end)) {
      if (this.options.wholeWord && end < text.length && this.isWordAt(text, end)) return undefined;
      const matched = text.slice(at, end);
      return { phrase: this.phrases[phrase]!, start: at, end, matched, similarity: 100 };
    }
    const regex = this.regexOf(phrase);
    regex.lastIndex = at;
    const match = regex.exec(text);
    if (!match) return undefined;
    const matched = match[0];
    return {
      phrase: this.phrases[phrase]!,
      start: at,
      end: at + matched.length,
      matched,
      similarity: 100,
    };
  }

  /** Hits of a phrase by its regex alone, as successive `exec` calls give them. */
  private scan(phrase: number, text: string): PhraseHit[] {
    const flags = this.options.caseSensitive ? 'gu' : 'giu';
    const regex = new RegExp(phrasePattern(this.phrases[phrase]!, this.options.wholeWord), flags);
    const hits: PhraseHit[] = [];
    for (const match of text.matchAll(regex)) {
      hits.push({
        phrase: this.phrases[phrase]!,
        start: match.index,
        end: match.index + match[0].length,
        matched: match[0],
        similarity: 100,
      });
      if (match[0].length === 0) break;
    }
    return hits;
  }
}

/**
 * In `keys[low..high)` (sorted, all longer than `depth`, equal before it), the first key whose
 * unit at `depth` is at least `unit` (or, with `after`, greater than it).
 */
function boundary(
  keys: readonly string[],
  low: number,
  high: number,
  depth: number,
  unit: number,
  after: boolean,
): number {
  let first = low;
  let last = high;
  while (first < last) {
    const middle = (first + last) >>> 1;
    const code = keys[middle]!.charCodeAt(depth);
    if (after ? code <= unit : code < unit) first = middle + 1;
    else last = middle;
  }
  return first;
}
