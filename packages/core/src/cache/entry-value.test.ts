import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../common/secrets.js';
import { seededRandom } from '../dataset/sampling.js';
import { resultLineJson } from '../run/line-json.js';
import { toResultLine } from '../run/result-line.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { DirectoryCache } from './directory-cache.js';
import { entryValue, rawTraceText } from './entry-value.js';

const folders: string[] = [];
afterEach(() => {
  clearSecrets();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const key = 'k'.repeat(64);

/** Reads `json` as a cache line does, and checks it against `JSON.parse`: value and key order. */
function read(json: string): unknown {
  const value = entryValue(`${key}\t${json}`, key.length + 1);
  expect(value).toEqual(JSON.parse(json));
  expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(json)));
  const trace = traceOf(value);
  if (rawTraceText(trace) !== undefined) expect(rawTraceText(trace)).toBe(JSON.stringify(trace));
  return value;
}

const traceOf = (value: unknown) => (value as { trace?: unknown }).trace;

describe('entryValue: a cache entry read with its trace text kept', () => {
  it('keeps the text of a last-key trace, which is what JSON.stringify writes again', () => {
    const output = {
      value: 'spam',
      status: 'ok',
      explanation: 'says "trace":{ in text, \u2028 and \ud800',
      usage: { inputTokens: 96, costUsd: null },
      trace: {
        answers: ['{"label":"spam"}'],
        prompts: [{ messages: [{ role: 'user' }] }],
        n: 1e21,
      },
    };
    const json = JSON.stringify(output);
    const trace = traceOf(read(json));
    expect(rawTraceText(trace)).toBe(JSON.stringify(output.trace));
    expect(rawTraceText(trace)).toBe(JSON.stringify(trace));
  });

  it('reads every other shape whole, as JSON.parse does, and keeps no text', () => {
    const whole = [
      '{"value":"a","status":"ok"}', // no trace
      '{"value":"a","trace":{"x":1},"status":"ok"}', // trace not last
      '{"probabilities":{"trace":0.5},"value":"a"}', // "trace" only in a nested object
      '{"probabilities":{"trace":0.5},"trace":{"y":[1,{"trace":2}]}}', // nested first, then the key
      '{"a":1,"trace":{"t":1},"a":2}', // a key given twice, after the trace
      '{"trace":{"first":1},"value":"a","trace":{"second":2}}', // trace given twice
      '{"value":"a","trace":"text"}', // a trace that is not an object
      '{"value":"a","trace":null}',
      '{"value":"a","trace":[1,2]}',
      '{"__proto__":{"x":1},"trace":{"z":1}}',
      '{"value":"\\",\\"trace\\":{}}"}', // the key's characters inside a string
      '{"value":"a","trace":{"x":1} }', // a space before the end (not written by Plexus)
      '{"value":"a","trace": {"x":1}}', // a space after the key
    ];
    for (const json of whole) read(json);
    const twice = read('{"a":1,"trace":{"t":1},"a":2}');
    expect(rawTraceText(traceOf(twice))).toBeUndefined();
    const nested = read('{"probabilities":{"a":1,"trace":0.5},"trace":{"y":[1,{"trace":2}]}}');
    expect(rawTraceText(traceOf(nested))).toBeUndefined(); // the first key is nested: read whole
    const after = read('{"probabilities":{"trace":0.5},"trace":{"y":[1,{"a":1,"trace":2}]}}');
    expect(rawTraceText(traceOf(after))).toBe('{"y":[1,{"a":1,"trace":2}]}');
    expect(rawTraceText(traceOf(read('{"trace":[1,2],"value":"a"}')))).toBeUndefined();
    expect(rawTraceText('{"x":1}')).toBeUndefined();
    expect(rawTraceText({ x: 1 })).toBeUndefined();
  });

  it('throws on broken entries as JSON.parse does (a miss for the cache)', () => {
    for (const json of ['{"value":"a","trace":{"x":1}', '{"value":,"trace":{}}', '{"trace":{}}}'])
      expect(() => entryValue(`${key}\t${json}`, key.length + 1)).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse on 3,000 random outputs, and their lines with JSON.stringify', () => {
    const random = seededRandom(28);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T;
    const texts = ['', 'a', '"q"', '\\', ',"trace":', '\ud800', '\u2028', 'é', '{}', 'null'];
    const nested = () =>
      pick([null, 1.5, -0, 1e21, pick(texts), [pick(texts), 2], { trace: pick(texts), n: 3 }]);
    for (let index = 0; index < 3000; index += 1) {
      const output: Record<string, unknown> = { value: pick(texts), status: 'ok' };
      if (random() < 0.5) output.explanation = pick(texts);
      if (random() < 0.3) output.probabilities = { [pick(texts)]: random() };
      if (random() < 0.5) output.usage = { calls: 1, costUsd: pick([null, 0.001]) };
      if (random() < 0.8) output.trace = { [pick(texts)]: nested(), answers: [pick(texts)] };
      if (random() < 0.1) output.error = { message: pick(texts) };
      const json = JSON.stringify(output);
      const value = read(json) as ScoreOutputV1;
      const line = toResultLine(
        {
          item: { id: `i${index}`, text: 't', metadata: {} },
          score: 'S',
          output: value,
          latencyMs: 0,
          cached: true,
        },
        undefined,
      );
      expect(resultLineJson(line)).toBe(JSON.stringify(line));
    }
  });

  it('a hit from a directory cache: redacted entry, trace text kept, the same result line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-entry-value-'));
    folders.push(dir);
    registerSecret('sk-secret-value-1234');
    const output: ScoreOutputV1 = {
      value: 'spam',
      status: 'ok',
      explanation: 'fine',
      trace: {
        prompts: [{ messages: [{ role: 'user', content: 'key sk-secret-value-1234 here' }] }],
      },
    };
    const writer = new DirectoryCache<ScoreOutputV1>(dir);
    void writer.set(key.replace(/k/g, 'a'), output);
    writer.close();
    const hit = new DirectoryCache<ScoreOutputV1>(dir).getNow(key.replace(/k/g, 'a'))!;
    expect(JSON.stringify(hit.trace)).toContain('[redacted]');
    expect(rawTraceText(hit.trace)).toBe(JSON.stringify(hit.trace));
    const line = toResultLine(
      {
        item: { id: 'x', text: 't', metadata: {} },
        score: 'S',
        output: hit,
        latencyMs: 0,
        cached: true,
      },
      undefined,
    );
    expect(resultLineJson(line)).toBe(JSON.stringify(line));
  });
});
