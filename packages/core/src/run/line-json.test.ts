import { describe, expect, it } from 'vitest';
import { seededRandom } from '../dataset/sampling.js';
import { fastJson, resultLineJson } from './line-json.js';
import type { ResultLine } from './result-line.js';
import { resultLine } from './result-line-fixture.js';

/** Strings JSON must escape or keep: lone surrogates, line separators, controls, quotes. */
const hostile = [
  '',
  'plain',
  'null',
  'true',
  '0',
  '"quoted" and \\ back',
  '\ud800',
  'x\udc00y',
  '\udbff\udfff ok pair',
  '😀 emoji',
  'line\u2028separator\u2029',
  'controls \u0000\u0001\u001f\u007f\b\f\n\r\t',
  '…',
  'a\u0000b',
  '__proto__',
  'toJSON',
  `${'long '.repeat(60)}`,
];

/** The same text as JSON.stringify; `fast`: by the fast path (else by JSON.stringify itself). */
function expectSame(line: unknown, fast = true): void {
  expect(resultLineJson(line as ResultLine)).toBe(JSON.stringify(line));
  expect(fastJson(line as ResultLine)).toBe(fast ? JSON.stringify(line) : undefined);
}

describe('resultLineJson', () => {
  it('writes what JSON.stringify writes for hostile strings in every text field', () => {
    for (const text of hostile) {
      expectSame(resultLine(text));
      expectSame(resultLine('1', { score: text }));
      expectSame(resultLine('1', { value: text, label: text, correct: false }));
      expectSame(resultLine('1', { explanation: text, status: 'ok' }));
      expectSame({ ...resultLine('1'), trace: { [text]: text, hits: [text] }, text });
      expectSame({ ...resultLine('1'), text });
      expectSame(resultLine('1', { error: { message: text, code: text } }));
    }
  });

  it('tells null from "null" and keeps answers of different scores apart', () => {
    expectSame(resultLine('1', { value: null, label: null, correct: null }));
    expectSame(resultLine('1', { value: 'null', label: 'null', correct: true }));
    expectSame(resultLine('1', { value: null, label: 'null', correct: null }));
    // Parts that would run together without their lengths.
    expectSame(resultLine('1', { value: 'a', label: 'bc' }));
    expectSame(resultLine('1', { value: 'ab', label: 'c' }));
    expectSame(resultLine('1', { score: 'Other', value: 'a', label: 'bc' }));
    // More answers than are remembered (free-text values), and values too long to remember.
    for (let index = 0; index < 6000; index += 1)
      expectSame(resultLine('1', { value: `answer ${index}`, label: `gold ${index % 7}` }));
    expectSame(resultLine('1', { value: 'v'.repeat(5000), label: 'l'.repeat(300) }));
    expectSame(resultLine('1', { value: 'answer 5999', label: 'gold 0', correct: null }));
    const first = resultLineJson(resultLine('1', { value: 'a', label: 'bc' }));
    expect(first).toContain('"value":"a","status":"ok","label":"bc"');
  });

  it('writes numbers as JSON does: NaN and infinities as null, -0 as 0, exponents', () => {
    for (const number of [0, -0, 1, 0.1 + 0.2, 1e21, 1e-7, -5, Number.NaN, Infinity, -Infinity]) {
      expectSame(resultLine('1', { confidence: number }));
      expectSame(resultLine('1', { cost_usd: number, llm_calls: 1 }));
      expectSame(resultLine('1', { latency_ms: number }));
      expectSame(resultLine('1', { input_tokens: number, output_tokens: number, retries: number }));
    }
    expectSame(resultLine('1', { cost_usd: null, unpriced_model: 'openai x' }), false);
  });

  it('falls back to JSON.stringify for any other shape or type', () => {
    const base = resultLine('1');
    const { explanation: _dropped, ...missing } = base;
    const shapes: unknown[] = [
      missing,
      { ...base, probabilities: { yes: 0.5, no: 0.5 } },
      { ...base, text: 'cut', text_length: 9000 },
      Object.assign({ score: base.score }, base),
      { ...base, explanation: undefined },
      { ...base, trace: undefined },
      { ...base, trace: 'a string trace' },
      { ...base, trace: { toJSON: () => 'own toJSON' } },
      { ...base, error: new Date(0) },
      { ...base, item_id: 7 },
      { ...base, value: 3 },
      { ...base, correct: 'yes' },
      { ...base, input_tokens: '12' },
      { ...base, cached: 1 },
      { ...base, text: 'x', trace: { hits: [] } },
      Object.assign(Object.create(null), base),
      Object.assign(Object.create({ inherited: true }), base),
    ];
    for (const shape of shapes) expectSame(shape, false);
    // Nested values are JSON.stringify's own: a Date inside a trace is written by its toJSON.
    expectSame({ ...base, trace: { at: new Date(0), toJSON: 'not a function' }, text: 't' });
    // A `__proto__` key of a parsed trace is its own data, written as such.
    expectSame(JSON.parse(`{${JSON.stringify(base).slice(1, -1)},"trace":{"__proto__":{"x":1}}}`));
  });

  it('matches JSON.stringify on 20,000 random lines', () => {
    const random = seededRandom(28);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const texts = [...hostile, null];
    const numbers = [0, 1, 2.5, -0, Number.NaN, 1e21, null];
    for (let index = 0; index < 20_000; index += 1) {
      const line: Record<string, unknown> = {
        ...resultLine(pick(hostile), {
          score: pick(['A', 'B', '__proto__', 'toString']),
          value: pick(texts),
          status: pick(['ok', 'error', 'skipped']),
          label: pick(texts),
          correct: pick([true, false, null]),
          explanation: pick(texts),
          confidence: pick(numbers),
          cost_usd: pick(numbers),
          input_tokens: pick([0, 3]),
          llm_calls: pick([0, 1]),
          latency_ms: random() * 100,
          cached: random() < 0.5,
          error: random() < 0.1 ? { message: pick(hostile) } : null,
        }),
      };
      if (random() < 0.5) line.trace = { hits: [pick(hostile)], n: pick(numbers) };
      if (random() < 0.3) line.text = pick(hostile);
      const cut = random() < 0.05;
      if (cut) line.text_length = 5000;
      expectSame(line, !cut);
    }
  });
});
