import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { z } from 'zod';
import { type ConfigProblem, errorMessage, InvalidConfigError } from '../common/errors.js';
import { registerUrlCredentialsInText } from '../common/secrets.js';
import { closest } from '../text/suggest.js';
import {
  aliasesExpandPast,
  maxAliasedValues,
  maxSeparators,
  separatorsPast,
} from './alias-expansion.js';
import { plainYamlProblems } from './yaml-errors.js';

/** Maps field paths of a parsed YAML/JSON document back to line and column. */
export class SourcePositions {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /** Position of the value at `path`, or of the key `key` inside it, or of the nearest parent. */
  locate(path: readonly PropertyKey[], key?: string): { line?: number; column?: number } {
    let node: unknown = this.document.contents;
    let offset: number | undefined = rangeStart(node);
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      offset = next.offset ?? offset;
      node = next.node;
    }
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (pair && isScalar(pair.key)) offset = pair.key.range?.[0] ?? offset;
    }
    if (offset === undefined) return {};
    const position = this.lines.linePos(offset);
    return { line: position.line, column: position.col };
  }

  /**
   * How a value YAML read as a number, true/false or null was written (`1.0`, `0x1F`, `null`), when
   * the value at `path` is one; undefined otherwise.
   */
  writtenAs(path: readonly PropertyKey[]): { text: string; kind: string } | undefined {
    let node: unknown = this.document.contents;
    for (const segment of path) node = child(node, segment)?.node;
    if (!isScalar(node) || typeof node.source !== 'string' || node.source === '') return undefined;
    const { value } = node;
    const kind =
      typeof value === 'number'
        ? 'a number'
        : typeof value === 'boolean'
          ? 'true or false'
          : value === null
            ? 'nothing (null)'
            : undefined;
    return kind === undefined ? undefined : { text: node.source, kind };
  }

  problem(path: readonly PropertyKey[], message: string, key?: string): ConfigProblem {
    const fullPath = key === undefined ? path : [...path, key];
    return { file: this.file, ...this.locate(path, key), path: formatPath(fullPath), message };
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function child(
  node: unknown,
  segment: PropertyKey,
): { node: unknown; offset?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    if (!pair) return undefined;
    return { node: pair.value, offset: rangeStart(pair.value) ?? rangeStart(pair.key) };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: rangeStart(item) };
  }
  return undefined;
}

/** `['scores', 1, 'phrases']` → `scores[1].phrases`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

export { LineCounter };

type Issue = z.core.$ZodIssue;

/** Zod issues as problems with file, line and column; unknown keys get a "did you mean". */
export function issueProblems(
  issues: readonly Issue[],
  positions: SourcePositions,
  prefix: readonly PropertyKey[],
  /** The settings known where an issue is (its path below `prefix`). */
  known: (path: readonly PropertyKey[]) => readonly string[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const names = known(issue.path);
      for (const key of issue.keys) {
        const guess = closest(key, names);
        const listed = names.length > 0 ? `; known: ${names.join(', ')}` : '';
        const hint = guess ? `; did you mean "${guess}"?` : listed;
        problems.push(positions.problem(path, `unknown setting "${key}"${hint}`, key));
      }
    } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      problems.push(positions.problem(path, `required (${issue.expected})`));
    } else if (
      issue.code === 'invalid_type' &&
      issue.expected === 'string' &&
      positions.writtenAs(path)
    ) {
      // Star ratings as labels, a year as a name: "expected string, received number" said no fix.
      const { text, kind } = positions.writtenAs(path)!;
      const quoted = JSON.stringify(text);
      problems.push(
        positions.problem(
          path,
          `${text} is read as ${kind}, not text: write it in quotes: ${quoted}`,
        ),
      );
    } else {
      problems.push(positions.problem(path, issue.message));
    }
  }
  return problems;
}

/**
 * Tags YAML does not know (`!Ref`, `!!python/object/apply:os.system`): the parser drops them with
 * a warning and reads the value after them as if they were not there, so such a scorecard was
 * valid in silence. Each is a problem at its place.
 */
function unknownTags(
  source: string,
  document: Document,
  lines: LineCounter,
  file: string,
): ConfigProblem[] {
  return document.warnings
    .filter((warning) => warning.code === 'TAG_RESOLVE_FAILED')
    .map((warning) => {
      const [start, end] = warning.pos;
      const tag = source.slice(start, end).split(/\s/)[0]!;
      const { line, col } = lines.linePos(start);
      return {
        file,
        line,
        column: col,
        path: '',
        message: `the YAML tag ${tag} is not one Plexus reads (its value was read as if it were not there): remove it`,
      };
    });
}

/**
 * Parses a YAML (or JSON) configuration file: syntax errors and duplicate keys are
 * `InvalidConfigError`s with line and column; aliases are capped (no alias bombs): the uses of an
 * anchor, and the values all aliases repeat (`aliasesExpandPast`).
 */
export function readYaml(
  source: string,
  file: string,
  what: string,
): { raw: unknown; positions: SourcePositions } {
  // A syntax error's fix quotes its line: a password in a URL there is a secret already.
  registerUrlCredentialsInText(source);
  if (separatorsPast(source) !== undefined)
    throw new InvalidConfigError([
      {
        file,
        path: '',
        message: `cannot read the ${what}: it has over ${maxSeparators.toLocaleString('en-US')} list items and lines (commas and line breaks), more than it may (350,000 keyword phrases fit); split it into several`,
      },
    ]);
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntaxProblems = [
    ...plainYamlProblems(source, document.errors, lineCounter, file),
    ...unknownTags(source, document, lineCounter, file),
  ];
  if (syntaxProblems.length > 0) throw new InvalidConfigError(syntaxProblems);
  let raw: unknown;
  try {
    // Uses of one anchor (times the aliases inside it): 150 scores sharing `labels: *yes_no` are
    // fine; what aliases add in all is bounded below.
    raw = document.toJS({ maxAliasCount: 10_000 });
  } catch (error) {
    const message = /Excessive alias count/.test(errorMessage(error))
      ? 'its aliases (*name) are used too many times (over 10,000 uses of one anchor, counting the aliases inside it); write the repeated part out or use it less'
      : errorMessage(error);
    throw new InvalidConfigError([
      { file, path: '', message: `cannot read the ${what}: ${message}` },
    ]);
  }
  if (aliasesExpandPast(raw))
    throw new InvalidConfigError([
      {
        file,
        path: '',
        message: `cannot read the ${what}: its aliases (*name) repeat more than ${maxAliasedValues.toLocaleString('en-US')} values beyond the file's own (a long list reused many times, or an anchor that contains itself); write the repeated part fewer times`,
      },
    ]);
  return { raw, positions: new SourcePositions(document, lineCounter, file) };
}
