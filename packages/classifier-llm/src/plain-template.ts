/**
 * Most prompts are text with plain substitutions (`Spam? {{ text }}`): no tag, no filter, no
 * whitespace control. Such a template is rendered here by joining its parts, which is what
 * Liquid outputs for a string value, at a fraction of the cost of Liquid's renderer per item;
 * any other value (a number, a missing or inherited name, an object) goes through Liquid, so the
 * output is Liquid's in every case.
 */

/** One `{{ name }}` and nothing else inside the braces. */
const plainOutput = /\{\{[ \t\r\n]*([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n]*\}\}/g;

/** Names Liquid reads as literals, not variables (`{{ nil }}` is empty, `{{ true }}` is "true"). */
const literalNames = new Set(['true', 'false', 'nil', 'null', 'empty', 'blank']);

/** Text and names in order: `texts[0] names[0] texts[1] ... names[n-1] texts[n]`. */
export interface PlainTemplate {
  texts: string[];
  names: string[];
}

/** The template's parts when it is text with plain substitutions only; else undefined. */
export function plainTemplate(source: string): PlainTemplate | undefined {
  const texts: string[] = [];
  const names: string[] = [];
  let at = 0;
  for (const match of source.matchAll(plainOutput)) {
    const name = match[1] as string;
    // A name that every object has (`constructor`) or a literal: Liquid's own rules apply.
    if (literalNames.has(name) || name in {}) return undefined;
    texts.push(source.slice(at, match.index));
    names.push(name);
    at = (match.index as number) + match[0].length;
  }
  texts.push(source.slice(at));
  // Any other Liquid markup in the text (a tag, a filter, `{{-`), or a brace right before a
  // substitution (`{{{ text }}}`, which Liquid reads differently): not plain.
  const markup = (text: string, index: number) =>
    text.includes('{{') || text.includes('{%') || (index < names.length && text.endsWith('{'));
  if (texts.some(markup)) return undefined;
  return { texts, names };
}

/**
 * The rendered text when every name is the scope's own string property (what Liquid outputs as
 * is); undefined otherwise, for Liquid to render.
 */
export function renderPlain(
  template: PlainTemplate,
  scope: Record<string, unknown>,
): string | undefined {
  if ('toLiquid' in scope) return undefined;
  const { texts, names } = template;
  let output = texts[0] as string;
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] as string;
    if (!Object.hasOwn(scope, name)) return undefined;
    const value = scope[name];
    if (typeof value !== 'string') return undefined;
    output += value + (texts[index + 1] as string);
  }
  return output;
}
