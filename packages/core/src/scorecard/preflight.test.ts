import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigProblem, formatProblem, InvalidConfigError } from '../common/errors.js';
import { definePlugin, defineScoreFactory } from '../spec/score-spec.js';
import { containsFactory } from '../testing/contains-score.js';
import { parseScorecard } from './scorecard-loader.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-preflight-'));
const file = join(folder, 'card.yaml');

/** A score that declares what it reads, as real kinds do through `needs`. */
const needyFactory = defineScoreFactory({
  specificationVersion: 'v1',
  kind: 'needy',
  settingsSchema: z
    .object({
      field: z.string().optional(),
      reads: z.array(z.string()).default([]),
      key_env: z.string().optional(),
      model: z.string().optional(),
    })
    .strict(),
  outputLabels: () => ['yes', 'no'],
  needs: (settings) => ({
    fields: settings.field ? [{ path: 'field', name: settings.field }] : [],
    results: settings.reads.map((name, index) => ({ path: `reads.${index}`, name })),
    environment: settings.key_env
      ? [{ path: 'key_env', name: settings.key_env, why: 'the provider needs an API key' }]
      : [],
  }),
  create(settings, env) {
    if (settings.model)
      throw new InvalidConfigError([
        { path: 'model', message: `model file ${settings.model} not found` },
      ]);
    return {
      specificationVersion: 'v1',
      kind: 'test/needy',
      name: env.name,
      fingerprint: 'needy',
      doScore: async ({ items }) => items.map(() => ({ value: 'yes', status: 'ok' as const })),
    };
  },
});

const plugin = definePlugin({
  specificationVersion: 'v1',
  name: 'test',
  factories: [containsFactory, needyFactory],
});

function dataset(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** Problems (as printed) and warnings of loading `source` against a dataset. */
async function check(
  source: string,
  options: { data?: string; scores?: string[]; create?: boolean } = {},
): Promise<{ problems: string[]; warnings: string[] }> {
  const warnings: ConfigProblem[] = [];
  let problems: string[] = [];
  try {
    await parseScorecard(source, {
      file,
      displayName: 'card.yaml',
      plugins: [plugin],
      cacheDir: folder,
      checkData: options.data ?? false,
      scores: options.scores,
      create: options.create,
      onWarning: (warning) => warnings.push(warning),
    });
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    problems = error.problems.map(formatProblem);
  }
  return { problems, warnings: warnings.map(formatProblem) };
}

const spamCsv = `id,text,label
1,win money now,spam
2,lunch at noon?,ham
3,cheap pills,spam
4,see you tomorrow,ham
`;

describe('one pass over the scorecard', () => {
  it('reports an unknown kind, a setting typo and the cycle through both at once', async () => {
    const { problems } = await check(`name: Broken
scores:
  - name: A
    class: test/contans
    depends_on: [B]
  - name: B
    class: test/contains
    wrd: x
    depends_on: [A]
`);
    expect(problems).toEqual([
      'card.yaml:4:12: scores[0].class: unknown kind "contans" in test; it provides: contains, needy',
      'card.yaml:5:17: scores[0].depends_on: dependency cycle: A → B → A',
      'card.yaml:6:5: scores[1].word: required (string)',
      'card.yaml:8:5: scores[1].wrd: unknown setting "wrd"; did you mean "word"?',
    ]);
  });

  it('reports problems found when creating scores together with the others', async () => {
    const { problems } = await check(`name: X
scores:
  - name: A
    class: test/needy
    model: gone.onnx
  - name: B
    class: test/contains
    word: x
    depends_on: { A: { operator: "==", value: maybe } }
`);
    expect(problems).toEqual([
      'card.yaml:5:12: scores[0].model: model file gone.onnx not found',
      'card.yaml:9:22: scores[1].depends_on.A: "maybe" is not a label of A (yes, no)',
    ]);
  });
});

describe('--score: only the selected scores and their dependencies', () => {
  const card = `name: X
scores:
  - name: Broken
    class: test/needy
    model: gone.onnx
  - name: Typo
    class: test/contains
    wrd: x
  - name: Schema
    class: test/contains
    labels: yes
  - name: Base
    class: test/contains
    word: a
  - name: Wanted
    class: test/contains
    word: b
    depends_on: [Base]
`;

  it('loads the selected scores when another score cannot be created or has a typo', async () => {
    expect((await check(card)).problems).toHaveLength(4);
    const loaded = await parseScorecard(card, {
      file,
      plugins: [plugin],
      cacheDir: folder,
      scores: ['Wanted'],
    });
    expect(loaded.scores.map((score) => score.name)).toEqual(['Base', 'Wanted']);
    expect(loaded.scores.every((score) => score.score !== undefined)).toBe(true);
  });

  it('names an unknown score with a did-you-mean', async () => {
    const { problems } = await check(card, { scores: ['Wanted', 'Bse'] });
    expect(problems).toEqual([
      '--score: no score named "Bse"; did you mean "Base"? (scores: Broken, Typo, Base, Wanted)',
    ]);
  });
});

describe('checks against the dataset', () => {
  it('says that a label_column is not in the data, with a did-you-mean', async () => {
    const data = dataset('spam.csv', spamCsv);
    const { problems } = await check(
      'name: X\nscores:\n  - name: Spam\n    class: test/contains\n    word: win\n    labels: [spam, ham]\n    label_column: lable\n',
      { data },
    );
    expect(problems).toEqual([
      `card.yaml:7:19: scores[0].label_column: no column "lable" in ${data}; did you mean "label"? (columns: id, text, label)`,
    ]);
  });

  it('announces a score without any gold column as unlabeled (a warning)', async () => {
    const data = dataset('no-gold.csv', 'id,text\n1,hello\n');
    const result = await check(
      'name: X\nscores:\n  - name: A\n    class: test/contains\n    word: x\n  - name: B\n    class: test/contains\n    word: y\n',
      { data },
    );
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([
      `card.yaml:3:5: scores[0]: unlabeled: ${data} has no gold column for "A" (looked for "A"); the score runs without accuracy. Set label_column to measure it`,
      `card.yaml:6:5: scores[1]: unlabeled: ${data} has no gold column for "B" (looked for "B"); the score runs without accuracy. Set label_column to measure it`,
    ]);
  });

  it('refuses gold labels that are mostly not among the score labels (default yes/no on spam/ham)', async () => {
    const data = dataset('spam2.csv', spamCsv);
    const { problems } = await check(
      'name: X\nscores:\n  - name: Spam\n    class: test/contains\n    word: win\n',
      { data },
    );
    expect(problems).toEqual([
      `card.yaml:3:5: scores[0].labels: 4 of 4 gold labels in 4 rows of ${data} are not among the score's labels (yes, no): "spam" ×2, "ham" ×2; the score gives yes, no: set labels: to the gold labels, or label_column to the right column`,
    ]);
  });

  it('warns with counts about a few stray gold labels, normalised as the metrics do', async () => {
    const rows = ['YES', 'no.', 'yes', 'No', 'yse', 'n/a', 'yes'];
    const data = dataset(
      'stray.csv',
      `id,text,label\n${rows.map((label, index) => `${index},t,${label}`).join('\n')}\n`,
    );
    const result = await check(
      'name: X\nscores:\n  - name: A\n    class: test/contains\n    word: x\n',
      { data },
    );
    expect(result.problems).toEqual([]);
    // Hand count: YES, no., yes, No, yes match (case and trailing punctuation ignored); yse and n/a (→ na) do not.
    expect(result.warnings).toEqual([
      `card.yaml:3:5: scores[0].labels: 2 of 7 gold labels in 7 rows of ${data} are not among the score's labels (yes, no): "yse" ×1; did you mean "yes"?, "n/a" ×1; these rows count as wrong answers`,
    ]);
  });

  it('reads only the sample of rows it is given', async () => {
    const data = dataset(
      'long.csv',
      `id,text,label\n${Array.from({ length: 50 }, (_, index) => `${index},t,${index < 10 ? 'yes' : 'spam'}`).join('\n')}\n`,
    );
    const warningsAfter = async (sampleRows: number) => {
      const warnings: ConfigProblem[] = [];
      await parseScorecard(
        'name: X\nscores:\n  - name: A\n    class: test/contains\n    word: x\n',
        {
          file,
          displayName: 'card.yaml',
          plugins: [plugin],
          cacheDir: folder,
          checkData: data,
          sampleRows,
          onWarning: (warning) => warnings.push(warning),
        },
      );
      return warnings.map(formatProblem);
    };
    // The first 10 rows are all "yes"; rows 11-50 are "spam" (40 of 50: the whole file is an error).
    expect(await warningsAfter(10)).toEqual([]);
    expect(await warningsAfter(20)).toEqual([
      `card.yaml:3:5: scores[0].labels: 10 of 20 gold labels in the first 20 rows of ${data} are not among the score's labels (yes, no): "spam" ×10; these rows count as wrong answers`,
    ]);
    await expect(warningsAfter(50)).rejects.toThrow(/40 of 50 gold labels in 50 rows/);
  });

  it('reports a missing dataset, a missing text column and a missing metadata field at once', async () => {
    const data = dataset('calls.csv', 'id,transcript,duration_s\n1,hi,30\n');
    const card = `name: X
data:
  path: nowhere.csv
scores:
  - name: Long
    class: test/needy
    field: duration
    label_column: long
`;
    expect((await check(card, { create: false })).problems).toEqual([]);
    const fromCard = await parseScorecard(card, {
      file,
      displayName: 'card.yaml',
      plugins: [plugin],
      cacheDir: folder,
      checkData: true,
    }).catch((error: InvalidConfigError) => error.problems.map(formatProblem));
    expect(fromCard).toEqual([
      expect.stringMatching(
        /^card\.yaml:3:9: data\.path: nowhere\.csv: dataset file not found or not readable/,
      ),
    ]);
    const { problems } = await check(card, { data });
    expect(problems).toEqual([
      `card.yaml:3:3: data.text_column: ${data}: no "text" column; columns are: id, transcript, duration_s. Set data.text_column in the scorecard`,
      `card.yaml:7:12: scores[0].field: no column "duration" for metadata field "duration" in ${data}; did you mean "duration_s"? (columns: id, transcript, duration_s)`,
      `card.yaml:8:19: scores[0].label_column: no column "long" in ${data} (columns: id, transcript, duration_s)`,
    ]);
  });
});

describe('what the settings need', () => {
  it('checks results of other scores and environment variables', async () => {
    delete process.env.PLEXUS_TEST_MISSING_KEY;
    const { problems } = await check(`name: X
scores:
  - name: Base
    class: test/contains
    word: x
  - name: Reader
    class: test/needy
    reads: [Base, Bsae]
    key_env: PLEXUS_TEST_MISSING_KEY
`);
    expect(problems).toEqual([
      'card.yaml:8:13: scores[1].reads[0]: results["Base"] is read, but "Base" is not in depends_on: add it there',
      'card.yaml:8:19: scores[1].reads[1]: results["Bsae"]: no score named "Bsae"; did you mean "Base"?',
      'card.yaml:9:14: scores[1].key_env: the provider needs an API key: set PLEXUS_TEST_MISSING_KEY in the environment',
    ]);
    // Not checked for a disabled score, nor when nothing is created (train reads data only).
    expect(
      (
        await check(
          'name: X\nscores:\n  - name: R\n    class: test/needy\n    disabled: true\n    key_env: PLEXUS_TEST_MISSING_KEY\n',
        )
      ).problems,
    ).toEqual([]);
    expect(
      (
        await check(
          'name: X\nscores:\n  - name: R\n    class: test/needy\n    key_env: PLEXUS_TEST_MISSING_KEY\n',
          { create: false },
        )
      ).problems,
    ).toEqual([]);
  });
});
