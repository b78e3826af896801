import type { CompiledPattern } from './pattern-match.js';

/**
 * Where RE2 and JavaScript's engine read the same pattern differently. An item that runs out of
 * time is matched again with RE2; its answer must be the one JavaScript would give, or none: a
 * pattern RE2 reads otherwise (`\A`, `\x{41}`, `[[:digit:]]`, `\Q…\E` are letters to JavaScript)
 * is not run with RE2, and neither is a text holding a character the engines take differently for
 * what the pattern uses.
 */
export interface Re2Reading {
  /** Why RE2 reads a pattern otherwise (the patterns are then not run with RE2), or undefined. */
  syntax?: string;
  /** Characters of a text that RE2 reads otherwise for these patterns, with what each pattern uses. */
  characters: { set: RegExp; why: string }[];
}

/** Escapes RE2 reads as JavaScript does: classes, control characters and escaped punctuation. */
const sameEscape = /^(?:[dDwWsSbBtnrfv]|x[0-9A-Fa-f]{2}|0(?![0-9])|[^0-9A-Za-z])/;

/** JavaScript's blanks beyond RE2's `\s` (tab, newline, form feed, carriage return, space). */
const extraBlanks = '\\v\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** Line ends JavaScript has and RE2 does not (RE2 ends lines at \n only; its `.` matches \r). */
const extraLineEnds = '\\r\\u2028\\u2029';
/** Letters RE2 folds onto ASCII ignoring case and JavaScript does not: long s, Kelvin sign. */
const foldedOntoAscii = '\\u017f\\u212a';

/** What a pattern's source uses that the engines read differently, or why RE2 cannot be trusted. */
function uses(
  source: string,
  unicode: boolean,
): {
  syntax?: string;
  blank: boolean;
  dot: boolean;
  anchor: boolean;
  negated: boolean;
} {
  const found = { blank: false, dot: false, anchor: false, negated: false };
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]!;
    if (character === '\\') {
      const rest = source.slice(index + 1, index + 4);
      // With flag u, `\p{L}` is a Unicode property to both (one RE2 lacks fails its compile).
      const property = unicode ? /^[pP]\{[A-Za-z_=]+\}/.exec(source.slice(index + 1)) : null;
      const known = property ?? sameEscape.exec(rest);
      if (!known) return { ...found, syntax: `\\${rest[0] ?? ''}` };
      if (/^[sS]/.test(rest)) found.blank = true;
      if (/^[SWD]/.test(rest)) found.negated = true;
      index += known[0].length;
    } else if (inClass) {
      if (character === '[' && source[index + 1] === ':') return { ...found, syntax: '[:' };
      if (character === ']') inClass = false;
    } else if (character === '[') {
      inClass = true;
      if (source[index + 1] === '^') found.negated = true;
      // `[]` and `[^]` are a class of none and of any character to JavaScript; RE2 reads `]` first in a class as a `]`.
      if (source[index + 1] === ']' || source.startsWith('^]', index + 1))
        return { ...found, syntax: '[]' };
    } else if (character === '.') found.dot = true;
    else if (character === '^' || character === '$') found.anchor = true;
  }
  return found;
}

/** How RE2 reads the patterns: once per score. */
export function re2Reading(patterns: readonly CompiledPattern[]): Re2Reading {
  const characters: Re2Reading['characters'] = [];
  const add = (set: string, why: string) =>
    characters.push({ set: new RegExp(`[${set}]`, 'u'), why });
  for (const { source, flags } of patterns) {
    const found = uses(source, flags.includes('u'));
    if (found.syntax)
      return {
        syntax: `RE2 reads ${found.syntax} in /${source}/ otherwise than JavaScript`,
        characters,
      };
    if (found.blank)
      add(extraBlanks, `/${source}/ has \\s or \\S, which RE2 reads as ASCII blanks only`);
    if (found.dot && !flags.includes('s'))
      add(extraLineEnds, `/${source}/ has ., which matches it in RE2 and not in JavaScript`);
    if (found.anchor && flags.includes('m'))
      add(extraLineEnds, `/${source}/ has ^ or $ with flag m, which RE2 puts at \\n only`);
    if (flags.includes('i')) {
      if (/[^ -~\t\n\r]/.test(source))
        return {
          syntax: `RE2 reads /${source}/ ignoring case otherwise than JavaScript (it is not all ASCII)`,
          characters,
        };
      add(foldedOntoAscii, `/${source}/ ignores case, and RE2 folds it onto an ASCII letter`);
    }
    if (!flags.includes('u')) {
      if (/[\ud800-\udfff]/.test(source))
        return {
          syntax: `RE2 reads /${source}/ otherwise than JavaScript without flag u (it holds a character beyond U+FFFF)`,
          characters,
        };
      if (found.dot || found.negated)
        add(
          '\\u{10000}-\\u{10ffff}',
          `/${source}/ has . or a negated class, which JavaScript without flag u matches half of`,
        );
    }
  }
  return { characters };
}

/** The first character of the texts RE2 would read otherwise, said with its place, or undefined. */
export function re2TextDifference(
  reading: Re2Reading,
  texts: readonly string[],
): string | undefined {
  for (const { set, why } of reading.characters) {
    for (const text of texts) {
      const found = set.exec(text);
      if (!found) continue;
      const codePoint = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      return `RE2 reads this text otherwise than JavaScript: it holds U+${codePoint} (character ${found.index + 1}) and ${why}`;
    }
  }
  return undefined;
}
