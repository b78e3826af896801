import {
  InvalidConfigError,
  parseScorecard,
  type ScoreItemV1,
  type ScoreOutputV1,
} from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const transcript = `Agent: hello this is harper valley national bank my name is jennifer how can i help you today
Caller: hi i need to check my account balance
Agent: i can not help you with a loan today
Caller: my checking acount please
Agent: your balance is 134 dollars
Agent: is there anything else i can help you with`;

type Outputs = [ScoreOutputV1[], ScoreOutputV1[], ScoreOutputV1[]];

/** Outputs per score of the scorecard, in dependency order. */
async function scoreWith(yaml: string, items: Partial<ScoreItemV1>[]): Promise<Outputs> {
  const card = await parseScorecard(`name: T\nscores:\n${yaml}`, {
    file: '/tmp/heuristic.yaml',
    plugins: [plugin],
    cacheDir: '/tmp',
  });
  const outputs: ScoreOutputV1[][] = [];
  for (const entry of card.scores) {
    const full = items.map((item, index) => ({
      id: String(index),
      text: '',
      metadata: {},
      results: {},
      ...item,
    }));
    outputs.push(
      await entry.score!.doScore({
        items: full,
        signal: new AbortController().signal,
        context: { scorecard: 'T' },
      }),
    );
  }
  return outputs as Outputs;
}

async function problems(yaml: string): Promise<string> {
  try {
    await parseScorecard(`name: T\nscores:\n${yaml}`, {
      file: '/tmp/heuristic.yaml',
      plugins: [plugin],
      cacheDir: '/tmp',
    });
    return '';
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.message;
    throw error;
  }
}

describe('heuristic/keywords', () => {
  it('scopes to a speaker and a position and quotes what matched where', async () => {
    const [[greeting], [callerSaid]] = await scoreWith(
      `  - { name: Greeting, class: heuristic/keywords, phrases: [harper valley], speaker: agent, first_turns: 1 }
  - { name: CallerBank, class: heuristic/keywords, phrases: [harper valley], speaker: customer }
`,
      [{ text: transcript }],
    );
    expect(greeting).toMatchObject({ value: 'yes', status: 'ok' });
    expect(greeting!.explanation).toContain(
      'found "harper valley" in agent turn 1: "hello this is harper valley national bank',
    );
    expect(callerSaid!.value).toBe('no');
  });

  it('applies match all / none and maps labels', async () => {
    const [[all], [none]] = await scoreWith(
      `  - { name: All, class: heuristic/keywords, phrases: [balance, mortgage], match: all, labels: [pass, fail] }
  - { name: None, class: heuristic/keywords, phrases: [mortgage], match: none, labels: [clean, flagged] }
`,
      [{ text: transcript }],
    );
    expect(all).toMatchObject({ value: 'fail' });
    expect(all!.explanation).toContain('not found: "mortgage"');
    expect(none).toMatchObject({ value: 'clean' });
  });

  it('stops searching once the rule is decided, and says only what it looked for', async () => {
    const [[any], [all], [none]] = await scoreWith(
      `  - { name: Any, class: heuristic/keywords, phrases: [balance, loan, mortgage] }
  - { name: All, class: heuristic/keywords, phrases: [mortgage, balance], match: all }
  - { name: None, class: heuristic/keywords, phrases: [loan, mortgage], match: none }
`,
      [{ text: transcript }],
    );
    expect(any).toMatchObject({ value: 'yes', trace: { hits: [{ phrase: 'balance' }] } });
    expect(any!.explanation).not.toContain('mortgage');
    expect(all).toMatchObject({ value: 'no', trace: { hits: [] } });
    expect(all!.explanation).toBe('no match (all): not found: "mortgage"');
    expect(none).toMatchObject({ value: 'no', trace: { hits: [{ phrase: 'loan' }] } });
  });

  it('ignores or flips negated hits', async () => {
    const [[ignored], [flipped], [plain]] = await scoreWith(
      `  - { name: Ignore, class: heuristic/keywords, phrases: [help you with a loan], negation: { window: 3 } }
  - { name: Flip, class: heuristic/keywords, phrases: [help you], negation: { window: 3, mode: flip } }
  - { name: Plain, class: heuristic/keywords, phrases: [help you with a loan] }
`,
      [{ text: transcript }],
    );
    expect(ignored!.value).toBe('no');
    expect(ignored!.explanation).toContain('negated by "not"');
    expect(flipped!.value).toBe('no');
    expect(plain!.value).toBe('yes');
  });

  it('matches typos fuzzily above the threshold only', async () => {
    const [fuzzy, strict] = await scoreWith(
      `  - { name: Fuzzy, class: heuristic/keywords, phrases: [checking account], fuzzy: { threshold: 85 } }
  - { name: Strict, class: heuristic/keywords, phrases: [checking account] }
`,
      [
        { text: 'Caller: my checking acount please' },
        { text: 'Caller: my chequing amount please' },
      ],
    );
    expect(fuzzy!.map((output) => output.value)).toEqual(['yes', 'no']);
    expect(fuzzy![0]!.explanation, fuzzy![0]!.explanation).toMatch(/fuzzy \d+%: "checking acount"/);
    expect(strict!.map((output) => output.value)).toEqual(['no', 'no']);
  });

  it('reads structured segments when the text has no speaker prefixes', async () => {
    const [[output]] = await scoreWith(
      '  - { name: G, class: heuristic/keywords, phrases: [hello], speaker: agent }\n',
      [
        {
          text: 'hello there',
          metadata: {
            segments: [
              { speaker: 'caller', text: 'hi' },
              { speaker: 'agent', text: 'hello there' },
            ],
          },
        },
      ],
    );
    expect(output).toMatchObject({ value: 'yes' });
    expect(output!.explanation).toContain('agent turn 2');
  });

  it('rejects on_match labels outside the declared labels at load time', async () => {
    expect(
      await problems(
        '  - { name: K, class: heuristic/keywords, phrases: [x], labels: [a, b], on_match: c }\n',
      ),
    ).toMatch(
      /scores\[0\]\.labels: the score can produce "c", which is not among its labels \(a, b\)/,
    );
  });
});

describe('heuristic/regex', () => {
  it('puts named groups in the trace', async () => {
    const [[output]] = await scoreWith(
      '  - { name: Balance, class: heuristic/regex, patterns: ["balance is (?P<amount>\\\\d+)"], speaker: agent }\n',
      [{ text: transcript }],
    );
    expect(output!.value).toBe('yes');
    expect(
      (output!.trace as { matches: { groups: Record<string, string> }[] }).matches[0]!.groups,
    ).toEqual({ amount: '134' });
  });

  it('answers a catastrophic-backtracking pattern with RE2 once JavaScript runs out of time', async () => {
    const started = performance.now();
    const [outputs] = await scoreWith(
      '  - { name: Bad, class: heuristic/regex, patterns: ["(a+)+$"], timeout_ms: 200 }\n',
      [{ text: `${'a'.repeat(100_000)}!` }, { text: 'aaa' }],
    );
    expect(outputs.map((output) => output.value)).toEqual(['no', 'yes']);
    // A backtracking engine needs longer than the universe's age for the first input.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('stops a pattern RE2 cannot run either (lookbehind) on one item after its time limit', async () => {
    const started = performance.now();
    const [outputs] = await scoreWith(
      '  - { name: Bad, class: heuristic/regex, patterns: ["(a+)+$(?<=a)"], timeout_ms: 300 }\n',
      [{ text: 'aaa' }, { text: `${'a'.repeat(40)}!` }, { text: 'bbb' }],
    );
    expect(outputs.map((output) => output.status)).toEqual(['ok', 'error', 'ok']);
    expect(outputs.map((output) => output.value)).toEqual(['yes', null, 'no']);
    expect(outputs[1]!.error).toMatchObject({ code: 'regex_timeout' });
    expect(outputs[1]!.error!.message).toMatch(/ran longer than 300 ms on this item/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("runs lookahead and backreferences on JavaScript's engine", async () => {
    const [outputs] = await scoreWith(
      String.raw`  - { name: Repeat, class: heuristic/regex, patterns: ['\b(\w+) \1\b', 'card(?= number)'] }` +
        '\n',
      [{ text: 'i need need a new card number' }, { text: 'card please' }],
    );
    expect(outputs.map((output) => output.value)).toEqual(['yes', 'no']);
  });

  it('reports an invalid pattern at load time with its place', async () => {
    expect(
      await problems('  - { name: R, class: heuristic/regex, patterns: ["ok", "x("] }\n'),
    ).toMatch(
      /heuristic\.yaml:3:\d+: scores\[0\]\.patterns\[1\]: invalid pattern: .*Unterminated group/,
    );
  });
});

describe('heuristic/threshold', () => {
  it('maps comparisons and ranges to labels and reports missing fields', async () => {
    const [outputs] = await scoreWith(
      `  - name: Length
    class: heuristic/threshold
    field: duration_seconds
    rules: [{ when: "> 600", label: long }, { when: "60..600", label: normal }]
    otherwise: short
`,
      [
        { metadata: { duration_seconds: 900 } },
        { metadata: { duration_seconds: '120' } },
        { metadata: { duration_seconds: 5 } },
        { metadata: {} },
      ],
    );
    expect(outputs!.map((output) => output.value)).toEqual(['long', 'normal', 'short', null]);
    expect(outputs![3]!.error?.message).toMatch(
      /metadata field "duration_seconds" is missing; set on_missing/,
    );
  });
});

describe('heuristic/logic', () => {
  const logic = `  - { name: Greeting, class: heuristic/keywords, phrases: [hello] }
  - { name: Card, class: heuristic/keywords, phrases: [card] }
  - name: Compliant
    class: heuristic/logic
    depends_on: [Greeting, Card]
    rules:
      - when: results["Greeting"] == "YES" and not (results["Card"] in ["yes"])
        label: yes
    otherwise: no
`;

  it('evaluates expressions over upstream results', async () => {
    const card = await parseScorecard(`name: T\nscores:\n${logic}`, {
      file: '/tmp/logic.yaml',
      plugins: [plugin],
      cacheDir: '/tmp',
    });
    const score = card.scores.find((entry) => entry.name === 'Compliant')!.score!;
    const outputs = await score.doScore({
      items: [
        {
          id: '1',
          text: '',
          metadata: {},
          results: {
            Greeting: { value: 'yes', status: 'ok' },
            Card: { value: 'no', status: 'ok' },
          },
        },
        {
          id: '2',
          text: '',
          metadata: {},
          results: {
            Greeting: { value: 'yes', status: 'ok' },
            Card: { value: 'yes', status: 'ok' },
          },
        },
      ],
      signal: new AbortController().signal,
      context: { scorecard: 'T' },
    });
    expect(outputs.map((output) => output.value)).toEqual(['yes', 'no']);
  });

  it('passes on an upstream value (a cascade), and errors when that upstream has none', async () => {
    const card = await parseScorecard(
      `name: T
scores:
  - { name: Fast, class: heuristic/keywords, labels: [a, b], phrases: [x] }
  - { name: Slow, class: heuristic/keywords, labels: [a, b], phrases: [y] }
  - name: Cascade
    class: heuristic/logic
    labels: [a, b]
    depends_on: { Fast: {}, Slow: { optional: true } }
    rules: [{ when: 'results["Slow"] != null', label: { value_of: Slow } }]
    otherwise: { value_of: Fast }
`,
      { file: '/tmp/logic.yaml', plugins: [plugin], cacheDir: '/tmp' },
    );
    const score = card.scores.find((entry) => entry.name === 'Cascade')!.score!;
    const item = (id: string, results: Record<string, ScoreOutputV1>) => ({
      id,
      text: '',
      metadata: {},
      results,
    });
    const outputs = await score.doScore({
      items: [
        item('1', { Fast: { value: 'a', status: 'ok' }, Slow: { value: 'b', status: 'ok' } }),
        item('2', { Fast: { value: 'a', status: 'ok' }, Slow: { value: null, status: 'skipped' } }),
        item('3', {
          Fast: { value: null, status: 'error' },
          Slow: { value: null, status: 'skipped' },
        }),
      ],
      signal: new AbortController().signal,
      context: { scorecard: 'T' },
    });
    expect(outputs.map((output) => output.value)).toEqual(['b', 'a', null]);
    expect(outputs[1]!.explanation).toMatch(/Fast says a/);
    expect(outputs[2]!.error?.message).toMatch(/Fast has no value \(error\)/);
    await expect(
      parseScorecard(
        `name: T\nscores:\n  - { name: L, class: heuristic/logic, labels: [a], rules: [{ when: 'true', label: { value_of: Nope } }], otherwise: a }\n`,
        { file: '/tmp/logic.yaml', plugins: [plugin], cacheDir: '/tmp' },
      ),
    ).rejects.toThrow(/value_of "Nope" is not a score this score depends on/);
  });

  it('rejects unknown names, undeclared scores, calls and prototype access at load time', async () => {
    const rule = (when: string) =>
      `  - { name: A, class: heuristic/keywords, phrases: [x] }\n  - { name: L, class: heuristic/logic, depends_on: [A], rules: [{ when: '${when}', label: yes }], otherwise: no }\n`;
    expect(await problems(rule('process.exit(1)'))).toMatch(
      /rules\[0\]\.when: function calls are not allowed/,
    );
    expect(await problems(rule('resultz["A"] == "yes"'))).toMatch(/unknown name "resultz"/);
    expect(await problems(rule('results["B"] == "yes"'))).toMatch(
      /results\["B"\] is not a score this score depends on; add "B" to depends_on/,
    );
    // Prototype names are ordinary score names: refused as scores this one does not depend on.
    expect(await problems(rule('results.constructor'))).toMatch(
      /results\["constructor"\] is not a score this score depends on/,
    );
    expect(await problems(rule('results["__proto__"]'))).toMatch(
      /results\["__proto__"\] is not a score this score depends on/,
    );
    expect(await problems(rule('this'))).toMatch(/not allowed|unknown name/);
  });
});
