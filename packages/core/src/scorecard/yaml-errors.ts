import type { LineCounter, YAMLError } from 'yaml';
import type { ConfigProblem } from '../common/errors.js';

/** A syntax mistake in plain words, at a 1-based line and column. */
interface PlainMistake {
  line: number;
  column: number;
  message: string;
  /** For a misplaced item: the last line of the item, whose parser errors follow from it. */
  covers?: number;
  /** True when no rule explained the error (the parser's own words). */
  fallback?: boolean;
}

const spaces = (count: number) => `${count} space${count === 1 ? '' : 's'}`;
const indentOf = (text: string) => /^ */.exec(text)![0].length;

/** "missing ':' after `class`" when a line is a key followed by a value (or nothing) without ':'. */
function missingColon(lines: readonly string[], line: number): PlainMistake | undefined {
  const text = lines[line - 1] ?? '';
  const body = text.replace(/^(\s*-\s+)?\s*/, '');
  const key = /^([A-Za-z_][\w.-]*)(\s+\S.*)?$/.exec(body);
  if (!key || body.includes(': ') || body.endsWith(':')) return undefined;
  return {
    line,
    column: text.length - body.length + key[1]!.length + 1,
    message: `missing ':' after \`${key[1]}\`: write \`${key[1]}: ${(key[2] ?? '').trim() || '...'}\``,
  };
}

/** The item's first key, for "this `- name:`". */
function itemLabel(text: string): string {
  const key = /^\s*-\s+([\w.-]+):/.exec(text)?.[1];
  return key ? `\`- ${key}:\`` : '`-` item';
}

/** The last line (1-based) of the block that starts at `line`: until a line indented no deeper. */
function lastLineOfBlock(lines: readonly string[], line: number, indent: number): number {
  let last = line;
  for (let next = line; next < lines.length; next += 1) {
    const text = lines[next]!;
    if (text.trim() === '') continue;
    if (indentOf(text) <= indent) break;
    last = next + 1;
  }
  return last;
}

/** A `- ` item whose indent differs from the list item before it. */
function misalignedItem(lines: readonly string[], line: number): PlainMistake | undefined {
  const text = lines[line - 1] ?? '';
  if (!/^\s*-(\s|$)/.test(text)) return undefined;
  const indent = indentOf(text);
  for (let before = line - 2; before >= 0; before -= 1) {
    const sibling = lines[before]!;
    if (!/^\s*-(\s|$)/.test(sibling)) continue;
    const siblingIndent = indentOf(sibling);
    if (siblingIndent === indent) continue;
    if (siblingIndent > indent + 1) continue; // a deeper list (inside an item): not a sibling
    return {
      line,
      column: indent + 1,
      covers: lastLineOfBlock(lines, line, indent),
      message: `this ${itemLabel(text)} is indented ${spaces(indent)}, its siblings ${siblingIndent}: line it up with the \`-\` on line ${before + 1}`,
    };
  }
  return undefined;
}

/** A key on the next line indented deeper than the `key: value` line before it. */
function overIndentedKey(lines: readonly string[], line: number): PlainMistake | undefined {
  const text = lines[line - 1] ?? '';
  const match = /^(\s*(?:-\s+)?)([\w.-]+):\s+\S/.exec(text);
  const next = lines[line];
  if (!match || next === undefined) return undefined;
  const keyIndent = match[1]!.length;
  const nextKey = /^(\s*)([\w.-]+):/.exec(next);
  if (!nextKey || nextKey[1]!.length <= keyIndent) return undefined;
  return {
    line: line + 1,
    column: nextKey[1]!.length + 1,
    message: `this \`${nextKey[2]}:\` is indented ${spaces(nextKey[1]!.length)}, its siblings ${keyIndent}: line it up with \`${match[2]}:\` on line ${line}`,
  };
}

/** The parser's words for what is left, made plainer where we know the fix. */
function plainParserMessage(error: YAMLError): string {
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (error.code === 'TAB_AS_INDENT') return 'a tab: indent with spaces';
  if (/^Missing closing "quote/.test(message))
    return 'a "quoted" value is not closed: add the closing "';
  if (/^Missing closing 'quote/.test(message))
    return "a 'quoted' value is not closed: add the closing '";
  if (/Flow map .* end with a \}/.test(message)) return 'a `{` is not closed: end it with `}`';
  if (/Flow sequence .* end with a \]/.test(message)) return 'a `[` is not closed: end it with `]`';
  // The parser recurses per level: thousands of `[` or `- ` inside each other overflow its stack.
  if (/Maximum call stack size exceeded/.test(message))
    return 'nested too deeply to read (lists or maps thousands of levels inside each other); its settings are a few levels deep: remove the extra nesting';
  return message;
}

function explain(
  error: YAMLError,
  lines: readonly string[],
  position: { line: number; col: number },
): PlainMistake {
  const shapeError = /IMPLICIT_KEY|BAD_INDENT|MISSING_CHAR/.test(error.code);
  const known = shapeError
    ? (misalignedItem(lines, position.line) ??
      overIndentedKey(lines, position.line) ??
      missingColon(lines, position.line) ??
      misalignedItem(lines, position.line + 1))
    : undefined;
  return (
    known ?? {
      line: position.line,
      column: position.col,
      message: plainParserMessage(error),
      fallback: true,
    }
  );
}

/**
 * The YAML parser's errors as one problem per mistake, each saying the fix: a missing ':', a tab,
 * a `- name:` or key indented differently from its siblings. Follow-on errors the parser reports
 * for the same mistake (on the same line) are left out.
 */
export function plainYamlProblems(
  source: string,
  errors: readonly YAMLError[],
  lineCounter: LineCounter,
  file: string,
): ConfigProblem[] {
  const lines = source.split(/\r?\n/);
  const byLine = new Map<number, PlainMistake>();
  for (const error of errors) {
    const mistake = explain(error, lines, lineCounter.linePos(error.pos[0]));
    if (!byLine.has(mistake.line)) byLine.set(mistake.line, mistake);
  }
  const mistakes = [...byLine.values()];
  const followsFrom = (mistake: PlainMistake) =>
    mistake.fallback === true &&
    mistakes.some(
      (cause) =>
        cause.covers !== undefined && cause.line < mistake.line && mistake.line <= cause.covers,
    );
  return mistakes
    .filter((mistake) => !followsFrom(mistake))
    .sort((left, right) => left.line - right.line)
    .map((mistake) => ({
      file,
      line: mistake.line,
      column: mistake.column,
      path: '',
      message: mistake.message,
    }));
}
