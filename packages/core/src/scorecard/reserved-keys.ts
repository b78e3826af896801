import type { ConfigProblem } from '../common/errors.js';
import type { SourcePositions } from './source-positions.js';

/**
 * Names that are never settings. On a plain object they reach its prototype: a `__proto__` key
 * copied by assignment (as schema parsers and object spreads do) vanishes instead of being
 * refused, and `constructor` or `prototype` name the object's machinery, not a value.
 */
const reservedNames = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a name (or a segment of a dotted name) is one that can never be a setting. */
export function isReservedName(name: string): boolean {
  return reservedNames.has(name);
}

/**
 * Whether an object's keys are score names or labels, which are data (issue 21: a score or label
 * may be called `constructor` or `__proto__`). The values under them (conditions) are settings.
 */
function isNameMap(value: object, path: readonly PropertyKey[]): boolean {
  if (Array.isArray(value) || path[0] !== 'scores' || typeof path[1] !== 'number') return false;
  // A score's `depends_on` (score names) and `label_map` (labels), a graph node's `routes` (labels).
  if (path.length === 3) return path[2] === 'depends_on' || path[2] === 'label_map';
  return path.length === 5 && path[2] === 'nodes' && path[4] === 'routes';
}

/**
 * A problem for every reserved name used as a key, at any depth of a parsed scorecard (settings,
 * nested settings, conditions under `depends_on`), with its line and column; the keys of
 * `depends_on`, `label_map` and `routes` are score names and labels, which are data. Each object is
 * visited once, so YAML aliases repeating one node many times cost nothing more.
 */
export function reservedKeyProblems(raw: unknown, positions: SourcePositions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<object>();
  const visit = (value: object, path: PropertyKey[]) => {
    if (seen.has(value)) return;
    seen.add(value);
    const entries: [PropertyKey, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    const keysAreNames = isNameMap(value, path);
    for (const [key, child] of entries) {
      if (key === '__proto__' && keysAreNames && path[2] !== 'depends_on') {
        // The loader reads depends_on's keys itself; label maps and routes go through the
        // settings schema, which drops a `__proto__` key: refuse it rather than lose it.
        problems.push(
          positions.problem(
            path,
            'a label named "__proto__" cannot be a key here (it would be dropped); rename the label',
            key,
          ),
        );
      } else if (key === '<<' && !keysAreNames) {
        // YAML 1.2 (what the loader reads) has no merge keys: `<<: *base` is an ordinary key, and
        // the settings it meant to bring would be missing ("class: required").
        problems.push(
          positions.problem(
            path,
            '`<<` (a YAML 1.1 merge key) is not read: Plexus reads YAML 1.2, where it is an ordinary key; write the settings out in this entry',
            key,
          ),
        );
      } else if (typeof key === 'string' && reservedNames.has(key) && !keysAreNames) {
        problems.push(
          positions.problem(
            path,
            `unknown setting "${key}": a reserved name, never a setting; remove it`,
            key,
          ),
        );
      } else if (typeof child === 'object' && child !== null) visit(child, [...path, key]);
    }
  };
  if (typeof raw === 'object' && raw !== null) visit(raw, []);
  return problems;
}
