// Names are data (issue 21): a score, gold column or label may be called `toString`,
// `constructor` or `__proto__` like anything else. Random names, every Object.prototype key among
// them, go through a real evaluation with a condition, a logic rule and a template reading
// upstream results; the results, metrics, run.json, report and MLflow values are checked against
// counts made here. The CLI runs the issue's exact case.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin as heuristic } from '@plexus/classifier-heuristic';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer, type TestServer } from '@plexus/classifier-llm/testing';
import { evaluate, loadScorecard } from '@plexus/core';
import { mlflowKey, mlflowName, runMetrics } from '@plexus/mlflow-tracker';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'plexus-score-names-'));
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);
const keyEnv = 'PLEXUS_SCORE_NAMES_KEY';

// Letters, digits and punctuation; no `"`, `\` or braces, which would need escaping in the
// expression and template written below.
const nameCharacter = fc.constantFrom(..."abcXYZ019 _-.$:/#@!?()[]<>&'=+*~,;|^`éü日本".split(''));
const randomName = fc
  .array(nameCharacter, { minLength: 1, maxLength: 10 })
  .map((characters) => characters.join(''));
const scoreName = fc.oneof(fc.constantFrom(...prototypeKeys), randomName);
/** Four different names (trimmed: a name is compared as written). */
const fourNames = fc.uniqueArray(
  scoreName.filter((name) => name.trim() === name && name !== ''),
  { minLength: 4, maxLength: 4 },
);

/** A JSON object with keys in this order, `__proto__` included as an ordinary key. */
function jsonObject(entries: readonly (readonly [string, unknown])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

interface Row {
  id: string;
  text: string;
  gold: [string, string, string, string];
}

const words = ['apple', 'banana', 'cherry', 'plum'];
const rowArbitrary = fc.record({
  words: fc.subarray(words),
  gold: fc.tuple(
    fc.constantFrom('yes', 'no'),
    fc.constantFrom('yes', 'no', ''),
    fc.constantFrom('both', 'one', 'none'),
    fc.constantFrom('both', 'one', 'none', ''),
  ),
});

/**
 * A → keywords (apple); B → keywords (banana) when A is yes; C → logic over A and B; D → an LLM
 * whose prompt quotes C's value, answered by the test server from the `[[label:X]]` marker.
 */
function scorecardOf(names: readonly string[], server: TestServer): string {
  const [a, b, c, d] = names as [string, string, string, string];
  const result = (name: string) => `results["${name}"]`;
  return JSON.stringify({
    name: 'Names',
    scores: [
      { name: a, class: 'heuristic/keywords', labels: ['yes', 'no'], phrases: ['apple'] },
      {
        name: b,
        class: 'heuristic/keywords',
        labels: ['yes', 'no'],
        phrases: ['banana'],
        depends_on: { [a]: { operator: '==', value: 'yes' } },
      },
      {
        name: c,
        class: 'heuristic/logic',
        labels: ['both', 'one', 'none'],
        depends_on: { [a]: {}, [b]: { optional: true } },
        rules: [
          { when: `${result(a)} == "yes" and ${result(b)} == "yes"`, label: 'both' },
          { when: `${result(a)} == "yes"`, label: 'one' },
        ],
        otherwise: 'none',
      },
      {
        name: d,
        class: 'llm/classifier',
        labels: ['both', 'one', 'none'],
        depends_on: [c],
        model: 'test-model',
        base_url: server.url,
        api_key_env: keyEnv,
        prompt: `Which? [[label:{{ results["${c}"].value }}]] {{ text }}`,
      },
    ],
  });
}

/** What each score must answer for a row, worked out here (null: skipped). */
function expectedValues(row: Row): (string | null)[] {
  const apple = row.text.includes('apple');
  const banana = row.text.includes('banana');
  const a = apple ? 'yes' : 'no';
  const b = apple ? (banana ? 'yes' : 'no') : null;
  const c = apple && banana ? 'both' : apple ? 'one' : 'none';
  return [a, b, c, c];
}

interface Line {
  item_id: string;
  score: string;
  value: string | null;
  status: string;
}

describe('score and column names are data', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    process.env[keyEnv] = 'names-key';
  });
  afterAll(async () => {
    await server.close();
    delete process.env[keyEnv];
  });

  it('any name works through conditions, logic, templates, metrics, run.json, report and MLflow values', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fourNames,
        fc.array(rowArbitrary, { minLength: 1, maxLength: 12 }),
        async (names, drawn) => {
          run += 1;
          const rows: Row[] = drawn.map((row, index) => ({
            id: `item-${index}`,
            text: `a ${row.words.join(' ')} z`,
            gold: row.gold,
          }));
          const card = join(dir, `card-${run}.json`);
          writeFileSync(card, scorecardOf(names, server));
          const data = join(dir, `data-${run}.jsonl`);
          // Gold columns are named like the scores: `__proto__` and `constructor` are columns too.
          writeFileSync(
            data,
            rows
              .map((row) =>
                jsonObject([
                  ['id', row.id],
                  ['text', row.text],
                  ...names.map((name, index) => [name, row.gold[index]] as const),
                ]),
              )
              .join('\n'),
          );
          const scorecard = await loadScorecard(card, {
            plugins: [heuristic, llm],
            cacheDir: join(dir, 'cache'),
          });
          const outDir = join(dir, `run-${run}`);
          const summary = await evaluate({ scorecard, data, outDir, cache: false });

          expect(summary.status).toBe('completed');
          expect(summary.errors).toBe(0);
          const lines = readFileSync(join(outDir, 'results.jsonl'), 'utf8')
            .trim()
            .split('\n')
            .map((text) => JSON.parse(text) as Line);
          // One line per item and score, with the value worked out above.
          expect(lines).toHaveLength(rows.length * names.length);
          const byPair = new Map(lines.map((line) => [`${line.item_id}\u0000${line.score}`, line]));
          expect(byPair.size).toBe(lines.length);
          for (const row of rows) {
            const expected = expectedValues(row);
            names.forEach((name, index) => {
              const line = byPair.get(`${row.id}\u0000${name}`)!;
              expect(line, `${row.id} ${name}`).toBeDefined();
              expect(line.status).toBe(expected[index] === null ? 'skipped' : 'ok');
              expect(line.value).toBe(expected[index]);
            });
          }

          // Metrics per score: items answered with a gold label, and how many were right.
          const metrics = JSON.parse(readFileSync(join(outDir, 'metrics.json'), 'utf8')) as {
            scores: Record<string, { n: number; accuracy: number | null; n_skipped: number }>;
          };
          expect(Object.keys(metrics.scores).sort()).toEqual([...names].sort());
          const values = new Map(
            runMetrics(
              JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')),
              metrics as never,
              0,
            ).map((metric) => [metric.key, metric.value]),
          );
          names.forEach((name, index) => {
            let labelled = 0;
            let correct = 0;
            let skipped = 0;
            for (const row of rows) {
              const value = expectedValues(row)[index];
              if (value === null) skipped += 1;
              else if (row.gold[index] !== '') {
                labelled += 1;
                if (value === row.gold[index]) correct += 1;
              }
            }
            expect(Object.hasOwn(metrics.scores, name)).toBe(true);
            const score = metrics.scores[name]!;
            expect(score.n, name).toBe(labelled);
            expect(score.n_skipped, name).toBe(skipped);
            expect(score.accuracy, name).toBe(labelled === 0 ? null : correct / labelled);
            // MLflow keys: one per score, even for names MLflow does not allow (`=` and `^`).
            expect(values.get(mlflowKey(`${mlflowName(name)}.n`)), name).toBe(labelled);
          });

          const info = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as {
            status: string;
            fingerprints: Record<string, string>;
            counts: { results: number };
          };
          expect(info.status).toBe('completed');
          expect(info.counts.results).toBe(rows.length * names.length);
          for (const name of names) expect(Object.hasOwn(info.fingerprints, name)).toBe(true);
          const report = readFileSync(join(outDir, 'report.html'), 'utf8');
          // Each score has its part of the report, under its (escaped) name.
          for (const name of names) expect(report).toContain(escapeHtml(name));
        },
      ),
      { numRuns: 40, seed: 21_03 },
    );
  });

  it('the CLI scores a score named like an Object.prototype key, with a gold column of that name', async () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'plexus-score-names-cli-'));
    const texts = ['win a free prize', 'see you at lunch', 'free entry now'];
    for (const name of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const folder = join(cliDir, name);
      writeFileSync(
        join(cliDir, `${name}.csv`),
        `id,text,${name}\n${texts.map((text, index) => `m${index},${text},${index === 1 ? 'ham' : 'spam'}`).join('\n')}\n`,
      );
      const card = join(cliDir, `${name}.yaml`);
      writeFileSync(
        card,
        `name: Names\ndata: { path: ${name}.csv }\nscores:\n  - name: "${name}"\n    class: heuristic/keywords\n    labels: [spam, ham]\n    phrases: [free]\n`,
      );
      const { code, stderr } = await runCli(['evaluate', card, '--out', folder, '--no-cache']);
      expect(code, `${name}: ${stderr}`).toBe(0);
      const lines = readFileSync(join(folder, 'results.jsonl'), 'utf8').trim().split('\n');
      expect(lines, name).toHaveLength(texts.length);
      for (const text of lines) {
        const line = JSON.parse(text) as Line & { correct: boolean };
        expect(line.score).toBe(name);
        expect(line.status).toBe('ok');
        expect(line.correct).toBe(true);
      }
      const info = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as {
        status: string;
        counts: { results: number };
      };
      expect(info.status).toBe('completed');
      expect(info.counts.results).toBe(texts.length);
      const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as {
        scores: Record<string, { n: number; accuracy: number }>;
      };
      expect(Object.hasOwn(metrics.scores, name)).toBe(true);
      expect(metrics.scores[name]).toMatchObject({ n: texts.length, accuracy: 1 });
    }
  });
  it('checks a condition on a score named __proto__ like any other (zod skips that key)', async () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'plexus-score-names-proto-'));
    const card = join(cliDir, 'card.yaml');
    const scores = (condition: string) =>
      `name: P\nscores:\n  - { name: __proto__, class: heuristic/keywords, phrases: [a] }\n  - { name: B, class: heuristic/keywords, phrases: [b], depends_on: { __proto__: ${condition} } }\n`;
    writeFileSync(card, scores('5'));
    const bad = await runCli(['validate', card]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /card\.yaml:4:\d+: scores\[1\]\.depends_on\.__proto__: .*expected object/,
    );
    writeFileSync(card, scores('{ operator: "==", value: maybe }'));
    const unknown = await runCli(['validate', card]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"maybe" is not a label of __proto__ (yes, no)');
    writeFileSync(card, scores('{ operator: "==", value: yes }'));
    const good = await runCli(['validate', card]);
    expect(good.code, good.stderr).toBe(0);
  });
});

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
