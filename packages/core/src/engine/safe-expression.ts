import jsep, { type Expression } from 'jsep';
import { normalizedLabel } from '../text/labels.js';

jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('in', 7);
jsep.addUnaryOp('not');

const binaryOperators = new Set([
  'and',
  'or',
  '&&',
  '||',
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  '+',
  '-',
  '*',
  '/',
]);
const unaryOperators = new Set(['not', '!', '-']);

/**
 * A parsed expression over a fixed set of names; evaluation never calls a function. Member access
 * reads own properties of data only, so any name (`toString`, `__proto__`) is an ordinary key.
 */
export interface SafeExpression {
  source: string;
  /** The literal keys read from each root name, e.g. `results["Greeting"]` → results: [Greeting]. */
  keys: Map<string, Set<string>>;
  evaluate(scope: Readonly<Record<string, unknown>>): unknown;
}

/** Thrown for expressions that do not parse or use what the language does not allow. */
export class ExpressionError extends Error {}

function check(node: Expression, roots: ReadonlySet<string>, keys: Map<string, Set<string>>): void {
  switch (node.type) {
    case 'Literal':
      return;
    case 'Identifier':
      if (!roots.has(node.name as string)) {
        throw new ExpressionError(
          `unknown name "${node.name as string}"; use ${[...roots].join(', ')}`,
        );
      }
      return;
    case 'MemberExpression': {
      const object = node.object as Expression;
      const property = node.property as Expression;
      check(object, roots, keys);
      const key = node.computed
        ? property.type === 'Literal'
          ? String(property.value)
          : undefined
        : (property.name as string);
      if (node.computed && property.type !== 'Literal') check(property, roots, keys);
      if (key !== undefined && object.type === 'Identifier') {
        const set = keys.get(object.name as string) ?? new Set<string>();
        set.add(key);
        keys.set(object.name as string, set);
      }
      return;
    }
    case 'BinaryExpression':
      if (!binaryOperators.has(node.operator as string))
        throw new ExpressionError(`operator "${node.operator as string}" is not allowed`);
      check(node.left as Expression, roots, keys);
      check(node.right as Expression, roots, keys);
      return;
    case 'UnaryExpression':
      if (!unaryOperators.has(node.operator as string))
        throw new ExpressionError(`operator "${node.operator as string}" is not allowed`);
      check(node.argument as Expression, roots, keys);
      return;
    case 'ArrayExpression':
      for (const element of node.elements as (Expression | null)[])
        if (element) check(element, roots, keys);
      return;
    case 'ConditionalExpression':
      check(node.test as Expression, roots, keys);
      check(node.consequent as Expression, roots, keys);
      check(node.alternate as Expression, roots, keys);
      return;
    default:
      throw new ExpressionError(
        `${node.type === 'CallExpression' ? 'function calls are' : `"${node.type}" is`} not allowed`,
      );
  }
}

function loose(value: unknown): unknown {
  return typeof value === 'string' ? normalizedLabel(value) : value;
}

/** Labels compare ignoring case; a numeric string compares as a number with a number. */
function equal(left: unknown, right: unknown): boolean {
  if (typeof left === 'number' && typeof right === 'string' && right.trim() !== '')
    return left === Number(right);
  if (typeof right === 'number' && typeof left === 'string' && left.trim() !== '')
    return right === Number(left);
  return loose(left) === loose(right);
}

function number(value: unknown): number {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : (value as number);
}

// Over 80 lines: one switch case per expression node type, each case a line or two.
function run(node: Expression, scope: Readonly<Record<string, unknown>>): unknown {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      return scope[node.name as string];
    case 'MemberExpression': {
      const object = run(node.object as Expression, scope);
      const property = node.property as Expression;
      const key = node.computed ? run(property, scope) : property.name;
      // Own data only: a score or column may be named `constructor` or `__proto__` (read as
      // data), but nothing inherited from a prototype and never a function is reachable.
      if (typeof object !== 'object' || object === null) return undefined;
      if (typeof key !== 'string' && typeof key !== 'number') return undefined;
      if (!Object.hasOwn(object, key)) return undefined;
      const value = (object as Record<string, unknown>)[key];
      return typeof value === 'function' ? undefined : value;
    }
    case 'BinaryExpression': {
      const operator = node.operator as string;
      if (operator === 'and' || operator === '&&')
        return (
          Boolean(run(node.left as Expression, scope)) &&
          Boolean(run(node.right as Expression, scope))
        );
      if (operator === 'or' || operator === '||')
        return (
          Boolean(run(node.left as Expression, scope)) ||
          Boolean(run(node.right as Expression, scope))
        );
      const left = run(node.left as Expression, scope);
      const right = run(node.right as Expression, scope);
      switch (operator) {
        case '==':
        case '===':
          return equal(left, right);
        case '!=':
        case '!==':
          return !equal(left, right);
        case 'in':
          return Array.isArray(right)
            ? right.some((element) => equal(left, element))
            : typeof right === 'string' &&
                typeof left === 'string' &&
                right.toLowerCase().includes(left.toLowerCase());
        case '<':
          return number(left) < number(right);
        case '<=':
          return number(left) <= number(right);
        case '>':
          return number(left) > number(right);
        case '>=':
          return number(left) >= number(right);
        case '+':
          return typeof left === 'number' && typeof right === 'number'
            ? left + right
            : `${String(left)}${String(right)}`;
        case '-':
          return number(left) - number(right);
        case '*':
          return number(left) * number(right);
        default:
          return number(left) / number(right);
      }
    }
    case 'UnaryExpression': {
      const value = run(node.argument as Expression, scope);
      return node.operator === '-' ? -number(value) : !value;
    }
    case 'ArrayExpression':
      return (node.elements as (Expression | null)[]).map((element) =>
        element ? run(element, scope) : undefined,
      );
    case 'ConditionalExpression':
      return run(node.test as Expression, scope)
        ? run(node.consequent as Expression, scope)
        : run(node.alternate as Expression, scope);
    default:
      throw new ExpressionError(`"${node.type}" is not allowed`);
  }
}

/**
 * Parses an expression (jsep) and checks it against the allowed names. The language has literals,
 * names, member access (own properties of data only), comparisons, `and`/`or`/`not`, `in`,
 * arithmetic and `?:`; no calls, assignments or globals, so it cannot run code.
 */
/** Levels of nesting an expression may have: parsing and checking it recurse once per level. */
const maxNesting = 200;

/**
 * How deep an expression nests: open parentheses and brackets, plus a run of `!` or `not` before
 * an operand (3,000 nested parentheses overflowed the stack: "Maximum call stack size exceeded").
 * Characters inside string literals do not count.
 */
function nesting(source: string): number {
  const isWord = (character: string | undefined) => character !== undefined && /\w/.test(character);
  let depth = 0;
  let deepest = 0;
  let negations = 0;
  let quote: string | undefined;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]!;
    if (quote !== undefined) {
      if (character === '\\') index += 1;
      else if (character === quote) quote = undefined;
      continue;
    }
    if (character === '"' || character === "'") quote = character;
    else if (character === '(' || character === '[') depth += 1;
    else if (character === ')' || character === ']') depth -= 1;
    else if (character === '!' && source[index + 1] !== '=') negations += 1;
    else if (
      source.startsWith('not', index) &&
      !isWord(source[index - 1]) &&
      !isWord(source[index + 3])
    ) {
      negations += 1;
      index += 2;
    } else if (!/\s/.test(character)) negations = 0;
    deepest = Math.max(deepest, depth + negations);
  }
  return deepest;
}

export function parseSafeExpression(source: string, roots: readonly string[]): SafeExpression {
  const depth = nesting(source);
  if (depth > maxNesting)
    throw new ExpressionError(
      `the expression nests ${depth} levels deep (parentheses, brackets and not/!), more than ${maxNesting}: write it flatter, e.g. as several rules`,
    );
  let tree: Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    throw new ExpressionError(`cannot parse "${source}": ${(error as Error).message}`);
  }
  const keys = new Map<string, Set<string>>();
  check(tree, new Set(roots), keys);
  return { source, keys, evaluate: (scope) => run(tree, scope) };
}
