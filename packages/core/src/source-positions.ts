import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import type { ConfigProblem } from './errors.js';

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
