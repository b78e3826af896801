// Probes of issue 22 as a clumsy user or an attacker would send them: prototype names
// (__proto__, constructor, prototype) and unknown keys as settings, refused with line and column
// everywhere. (Templates with limits: hostile-input.test.ts; secrets:
// hostile-input-secrets.test.ts.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { InvalidConfigError, parseScorecard } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('hostile-input');

describe('strict settings everywhere', () => {
  const keywords = 'class: heuristic/keywords\n    labels: [yes, no]\n    phrases: [a]';

  async function refusal(source: string, file = 'card.yaml'): Promise<InvalidConfigError> {
    const error = await parseScorecard(source, {
      file: join(dir, file),
      plugins: [heuristic, llm],
      create: false,
    }).catch((caught: unknown) => caught);
    expect(error, source).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }

  it('__proto__, constructor and prototype are refused as setting names at any depth, with line and column', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const cases: [string, string, number, number][] = [
        // A score's own setting: `__proto__` was accepted silently.
        [
          `name: X\nscores:\n  - name: A\n    ${keywords}\n    ${name}:\n      x: 1\n`,
          'scores[0]',
          7,
          5,
        ],
        [`name: X\n${name}: 1\nscores:\n  - name: A\n    ${keywords}\n`, '', 2, 1],
        [
          `name: X\nscores:\n  - name: A\n    class: llm/classifier\n    labels: [yes, no]\n    model: m\n    prompt: "{{ text }}"\n    budget:\n      ${name}: { x: 1 }\n`,
          'scores[0].budget',
          9,
          7,
        ],
        [
          `name: X\nscores:\n  - name: A\n    class: llm/graph\n    labels: [yes, no]\n    model: m\n    nodes:\n      - name: n\n        type: classifier\n        prompt: "{{ text }}"\n        labels: [yes, no]\n        ${name}: { x: 1 }\n`,
          'scores[0].nodes[0]',
          12,
          9,
        ],
        // Inside a map of names (score names are data), the condition's settings are settings.
        [
          `name: X\nscores:\n  - name: A\n    ${keywords}\n  - name: B\n    ${keywords}\n    depends_on:\n      A: { ${name}: { x: 1 } }\n`,
          'scores[1].depends_on.A',
          12,
          12,
        ],
      ];
      for (const [source, parent, line, column] of cases) {
        const error = await refusal(source);
        const path = parent ? `${parent}.${name}` : name;
        expect(error.message).toContain(
          `${join(dir, 'card.yaml')}:${line}:${column}: ${path}: unknown setting "${name}"`,
        );
      }
    }
    // JSON scorecards too.
    const json = await refusal(
      '{"name": "X", "scores": [{"name": "A", "class": "heuristic/keywords", "labels": ["yes", "no"], "phrases": ["a"], "__proto__": {"x": 1}}]}',
      'card.json',
    );
    expect(json.message).toMatch(/card\.json:1:\d+: scores\[0\]\.__proto__: unknown setting/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a label named __proto__ as a key of label_map or a graph route is refused, not dropped', async () => {
    const labelMap = await refusal(
      `name: X\nscores:\n  - name: A\n    class: llm/hf-task\n    task: zero-shot-classification\n    model: m\n    labels: [yes, no]\n    label_map:\n      __proto__: yes\n      other: no\n`,
    );
    expect(labelMap.message).toMatch(
      /card\.yaml:9:7: scores\[0\]\.label_map\.__proto__: a label named "__proto__"/,
    );
    const routes = await refusal(
      `name: X\nscores:\n  - name: A\n    class: llm/graph\n    labels: [yes, no]\n    model: m\n    nodes:\n      - name: n\n        type: classifier\n        prompt: "{{ text }}"\n        labels: [yes, no]\n        routes:\n          __proto__: yes\n`,
    );
    expect(routes.message).toMatch(
      /scores\[0\]\.nodes\[0\]\.routes\.__proto__: a label named "__proto__"/,
    );
  });

  it('a reserved key is reported with every other problem, not alone', async () => {
    const error = await refusal(
      `name: X\nscores:\n  - name: A\n    class: heuristic/keywordz\n    labels: [yes, no]\n  - name: B\n    ${keywords}\n    phrasse: [b]\n    __proto__: { a: 1 }\n`,
    );
    expect(error.message).toMatch(/scores\[1\]\.__proto__: unknown setting "__proto__"/);
    expect(error.message).toMatch(/unknown kind "keywordz"/);
    expect(error.message).toMatch(/phrasse/);
    expect(error.message.match(/__proto__/g)).toHaveLength(2);
  });

  it('the CLI refuses __proto__ inside a score with exit 2 and the place', async () => {
    const card = join(dir, 'proto.yaml');
    writeFileSync(
      card,
      `name: X\nscores:\n  - name: A\n    ${keywords}\n    __proto__: { on_match: no }\n`,
    );
    const result = await runCli(['validate', card]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /proto\.yaml:7:5: scores\[0\]\.__proto__: unknown setting "__proto__"/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('sweep files refuse prototype names as keys and as parts of a dotted setting', async () => {
    const { loadSweepFile } = await import('@plexus/core');
    const cases: [string, RegExp][] = [
      [
        'parameters:\n  constructor: [1]\n',
        /:2:3: parameters\.constructor: unknown setting "constructor"/,
      ],
      [
        'parameters:\n  features.__proto__.x: [1, 2]\n',
        /:2:\d+: parameters\.features\.__proto__\.x: unknown setting "__proto__"/,
      ],
    ];
    for (const [index, [source, message]] of cases.entries()) {
      const sweep = join(dir, `sweep-${index}.yaml`);
      writeFileSync(sweep, source);
      const error = await loadSweepFile(sweep).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
