import { closest } from '../text/suggest.js';

/**
 * Names that look the same and are not: `Café` written with a combining accent and with `é`,
 * `Spam` with a zero-width space after it, `Grееting` with Cyrillic `е`s. Two scores so named
 * showed as two identical rows of the summary with different numbers, and a "did you mean" named
 * a score looking exactly like the name it was given.
 */

/** Cyrillic and Greek letters drawn like Latin ones (the common part of Unicode's confusables). */
const latinLookalikes: Record<string, string> = {
  а: 'a',
  в: 'B',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  ο: 'o',
  ν: 'v',
};
const lookalikeLetters = new RegExp(`[${Object.keys(latinLookalikes).join('')}]`, 'gu');
/** Characters drawn as nothing: zero-width spaces and joiners, bidi controls, soft hyphens. */
const invisible = /\p{Default_Ignorable_Code_Point}/gu;

/** What a name looks like: compatibility forms joined (NFKC), invisible characters out, lookalikes Latin. */
export function nameLook(name: string): string {
  return name
    .normalize('NFKC')
    .replace(invisible, '')
    .replace(lookalikeLetters, (letter) => latinLookalikes[letter]!);
}

function codePoint(character: string | undefined): string {
  if (character === undefined) return 'nothing';
  const hex = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? `${hex} "${character}"` : hex;
}

/**
 * How two different names that look alike differ, at their first differing character:
 * `character 3 is U+0435 "е" in "Grееting", U+0065 "e" in "Greeting"`; undefined when they do not
 * look alike (a plain typo shows itself).
 */
export function lookalikeDifference(given: string, other: string): string | undefined {
  if (given === other || nameLook(given) !== nameLook(other)) return undefined;
  const left = [...given];
  const right = [...other];
  let at = 0;
  while (at < left.length && left[at] === right[at]) at += 1;
  return `they look alike but character ${at + 1} is ${codePoint(left[at])} in "${given}", ${codePoint(right[at])} in "${other}"`;
}

/** A known name that looks like `given` and is not it (the first), or undefined. */
export function lookalikeOf(given: string, known: Iterable<string>): string | undefined {
  const look = nameLook(given);
  for (const name of known) if (name !== given && nameLook(name) === look) return name;
  return undefined;
}

/**
 * `; did you mean "Greeting"? (they look alike but character 3 is …)` for a name none of `known`
 * is: a lookalike first (a typo's distance may not reach one with several such characters), else
 * the closest name; '' when none is near.
 */
export function nameHint(given: string, known: Iterable<string>): string {
  const names = [...known];
  const lookalike = lookalikeOf(given, names);
  if (lookalike !== undefined)
    return `; did you mean "${lookalike}"? (${lookalikeDifference(given, lookalike)})`;
  const guess = closest(given, names);
  return guess === undefined ? '' : `; did you mean "${guess}"?`;
}

/**
 * Why a score may not be named `name` beside the names so far (name → index, and `looks`: what
 * each looks like → it): the same name, or one that looks the same (two rows alike in the summary,
 * the report and MLflow with different numbers); undefined when it may, its look then kept.
 */
export function nameClash(
  name: string,
  names: ReadonlyMap<string, number>,
  looks: Map<string, string>,
): string | undefined {
  if (names.has(name)) return `duplicate score name "${name}"`;
  const look = nameLook(name);
  const lookalike = looks.get(look);
  if (lookalike === undefined) {
    looks.set(look, name);
    return undefined;
  }
  return `score name "${name}" looks the same as the score "${lookalike}" (scores[${names.get(lookalike)}]): ${lookalikeDifference(name, lookalike)}; results, reports and MLflow would show two scores alike: rename one`;
}
