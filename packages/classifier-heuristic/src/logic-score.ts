import {
  defineScoreFactory,
  ExpressionError,
  hashValue,
  InvalidConfigError,
  nameRecord,
  nameValue,
  parseSafeExpression,
  type SafeExpression,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { composedText } from './composed-text.js';
import {
  type LogicOutcome,
  type LogicSettings,
  logicNames,
  logicSettingsSchema,
} from './logic-settings.js';
import { logicNeeds } from './score-needs.js';

function codePoint(character: string | undefined): string {
  if (character === undefined) return 'nothing';
  const hex = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character) ? `${hex} "${character}"` : hex;
}

/**
 * `results["X"]` for a score not in depends_on: add it, or, when X is a depends_on name written
 * with other characters in places (a Cyrillic е, a combining accent, a zero-width space), the
 * first such place. "Add it to depends_on" then named a score the scorecard does not have.
 */
function notDependedOn(root: string, name: string, dependsOn: readonly string[]): string {
  const plain = (text: string) =>
    text.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '');
  const letters = [...name];
  const alike = dependsOn.find((other) => {
    const theirs = [...other];
    if (plain(other) === plain(name)) return true;
    if (theirs.length !== letters.length) return false;
    // Differing only where a character is not ASCII: drawn alike, or nearly.
    return theirs.every(
      (character, at) => character === letters[at] || /[^\x20-\x7e]/u.test(character + letters[at]),
    );
  });
  if (alike === undefined)
    return `${root}["${name}"] is not a score this score depends on; add "${name}" to depends_on`;
  const theirs = [...alike];
  let at = 0;
  while (at < letters.length && letters[at] === theirs[at]) at += 1;
  return `${root}["${name}"] is not a score this score depends on, and "${alike}" is: character ${at + 1} is ${codePoint(letters[at])} here, ${codePoint(theirs[at])} in "${alike}"; write it alike in both, as the score is named`;
}

function compileRules(
  settings: LogicSettings,
  dependsOn: readonly string[],
): { label: LogicOutcome; expression: SafeExpression }[] {
  const problems = [];
  const compiled = [];
  const outcomes: [string, LogicOutcome][] = [
    ...settings.rules.map((rule, index): [string, LogicOutcome] => [
      `rules.${index}.label`,
      rule.label,
    ]),
    ['otherwise', settings.otherwise],
  ];
  for (const [path, outcome] of outcomes) {
    if (typeof outcome !== 'string' && !dependsOn.includes(outcome.value_of))
      problems.push({
        path,
        message: `value_of "${outcome.value_of}" is not a score this score depends on; add it to depends_on`,
      });
  }
  for (const [index, rule] of settings.rules.entries()) {
    try {
      const expression = parseSafeExpression(rule.when, logicNames);
      for (const root of ['results', 'confidence']) {
        for (const name of expression.keys.get(root) ?? []) {
          if (!dependsOn.includes(name))
            throw new ExpressionError(notDependedOn(root, name, dependsOn));
        }
      }
      compiled.push({ label: rule.label, expression });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push({ path: `rules.${index}.when`, message: error.message });
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return compiled;
}

/** Which of the records made per item the rules can read at all. */
interface ScopeReads {
  results: boolean;
  confidence: boolean;
  text: boolean;
}

/**
 * A name that appears in no rule's source cannot be read by any rule: the language has no way to
 * spell a name other than writing it (a backslash anywhere, in case of an escape, counts as all).
 */
function scopeReads(sources: readonly string[]): ScopeReads {
  const mention = (name: string) =>
    sources.some((source) => source.includes(name) || source.includes('\\'));
  return { results: mention('results'), confidence: mention('confidence'), text: mention('text') };
}

function scopeOf(item: ScoreItemV1, reads: ScopeReads): Record<string, unknown> {
  // Keyed by score names, which may be `toString` or `__proto__`: no prototype.
  const results = reads.results ? nameRecord<string | null>() : undefined;
  const confidence = reads.confidence ? nameRecord<number | null>() : undefined;
  // The own enumerable names, as Object.entries lists them, without a pair made for each.
  if (results || confidence) {
    for (const name of Object.keys(item.results)) {
      const output = item.results[name]!;
      if (results) results[name] = output.value;
      if (confidence) confidence[name] = output.confidence ?? null;
    }
  }
  // `"café" in text` in NFC, as the scorecard writes it (a combining accent had no hit).
  const text = reads.text ? composedText(item.text) : item.text;
  return { results, confidence, metadata: item.metadata, text };
}

/** The literal labels, or undefined when an outcome is another score's value. */
function logicLabels(settings: LogicSettings): string[] | undefined {
  const outcomes = [...settings.rules.map((rule) => rule.label), settings.otherwise];
  const literal = outcomes.filter((outcome) => typeof outcome === 'string');
  return literal.length === outcomes.length ? [...new Set(literal)] : undefined;
}

function outcomeOf(outcome: LogicOutcome, item: ScoreItemV1, because: string): ScoreOutputV1 {
  if (typeof outcome === 'string')
    return { value: outcome, status: 'ok', confidence: 1, explanation: because };
  const upstream = nameValue(item.results, outcome.value_of);
  if (upstream?.status !== 'ok' || upstream.value === null)
    return {
      value: null,
      status: 'error',
      error: {
        message: `${because}, but ${outcome.value_of} has no value (${upstream?.status ?? 'missing'})`,
        code: 'no_value',
      },
    };
  return {
    value: upstream.value,
    status: 'ok',
    ...(upstream.confidence === undefined ? {} : { confidence: upstream.confidence }),
    explanation: `${because}: ${outcome.value_of} says ${upstream.value}`,
  };
}

/** `heuristic/logic`: safe expressions over upstream results and metadata, mapped to labels. */
export const logicFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'logic',
  settingsSchema: logicSettingsSchema,
  outputLabels: logicLabels,
  needs: (settings) => logicNeeds(settings),
  create(settings, env) {
    // Explanations made once, not per item.
    const rules = compileRules(settings, env.dependsOn).map((rule) => ({
      ...rule,
      because: `${rule.expression.source} is true`,
    }));
    const noRule = `no rule holds (${rules.map((rule) => rule.expression.source).join('; ')})`;
    const reads = scopeReads(rules.map((rule) => rule.expression.source));
    const scoreItem = (item: ScoreItemV1): ScoreOutputV1 => {
      const scope = scopeOf(item, reads);
      for (const rule of rules) {
        if (rule.expression.evaluate(scope)) {
          const output = outcomeOf(rule.label, item, rule.because);
          output.trace = { rule: rule.expression.source };
          return output;
        }
      }
      return outcomeOf(settings.otherwise, item, noRule);
    };
    return {
      specificationVersion: 'v1',
      kind: 'heuristic/logic',
      name: env.name,
      labels: env.labels.length > 0 ? env.labels : (logicLabels(settings) ?? []),
      fingerprint: hashValue({ kind: 'logic', settings }),
      maxBatchSize: 1024,
      cacheable: false,
      async doScore({ items, signal }) {
        signal.throwIfAborted();
        return items.map(scoreItem);
      },
    };
  },
});
