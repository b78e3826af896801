// Issue 21: the mistakes that used to give a clean exit and wrong numbers are found before any
// item is scored, all at once, by `plexus validate` and at the start of `plexus evaluate`.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workDir } from './harness.js';

const dir = workDir('preflight');

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const spam = write(
  'spam.csv',
  'id,text,label\n1,win money now,spam\n2,lunch at noon?,ham\n3,win cash,spam\n4,see you,ham\n',
);
const noGold = write('no-gold.csv', 'id,text\n1,win money now\n2,lunch at noon?\n');

function keywordsCard(name: string, extra: string): string {
  return write(
    name,
    `name: Spam\nscores:\n  - name: Spam\n    class: heuristic/keywords\n    phrases: [win]\n${extra}`,
  );
}

describe('checks before anything is scored (issue 21)', () => {
  it('label_column: lable is an error in validate and evaluate, with a did-you-mean', async () => {
    const card = keywordsCard('lable.yaml', '    labels: [spam, ham]\n    label_column: lable\n');
    const expected = `${card}:7:19: scores[0].label_column: no column "lable" in ${spam}; did you mean "label"? (columns: id, text, label)`;
    const validated = await runCli(['validate', card, '--data', spam]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain(expected);
    const out = join(dir, 'run-lable');
    const evaluated = await runCli(['evaluate', card, '--data', spam, '--out', out, '--quiet']);
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toContain(expected);
    expect(existsSync(join(out, 'results.jsonl'))).toBe(false);
  });

  it('a dataset without the gold column is announced as unlabeled up front', async () => {
    const card = keywordsCard('unlabeled.yaml', '    labels: [spam, ham]\n');
    const validated = await runCli(['validate', card, '--data', noGold]);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain(
      `${card}:3:5: scores[0]: warning: unlabeled: ${noGold} has no gold column for "Spam" (looked for "Spam" or "label"); the score runs without accuracy. Set label_column to measure it`,
    );
    const json = await runCli(['validate', card, '--data', noGold, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).warnings).toEqual([
      expect.stringContaining('scores[0]: warning: unlabeled:'),
    ]);
  });

  it('a keywords score without labels (yes/no) over spam/ham gold is refused', async () => {
    const card = keywordsCard('default-labels.yaml', '');
    const expected = `${card}:3:5: scores[0].labels: 4 of 4 gold labels in 4 rows of ${spam} are not among the score's labels (yes, no): "spam" ×2, "ham" ×2`;
    const validated = await runCli(['validate', card, '--data', spam]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain(expected);
    const evaluated = await runCli([
      'evaluate',
      card,
      '--data',
      spam,
      '--out',
      join(dir, 'run-yn'),
    ]);
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toContain(expected);
  });

  it('{{ txt }} in a prompt is an error naming {{ text }}', async () => {
    const card = write(
      'txt.yaml',
      `name: Polite
scores:
  - name: Polite
    class: llm/classifier
    labels: [yes, no]
    model: gpt-4o-mini
    base_url: http://127.0.0.1:9/v1
    prompt: "Is this polite? {{ txt }}"
`,
    );
    const validated = await runCli(['validate', card, '--no-data']);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain(
      `${card}:8:13: scores[0].prompt: {{ txt }} is not a template variable; did you mean {{ text }}?`,
    );
  });

  it('validate reports an unknown kind, a setting typo and the cycle through them in one run', async () => {
    const card = write(
      'stages.yaml',
      `name: Broken
scores:
  - name: A
    class: heuristic/keywordz
    phrases: [a]
    depends_on: [B]
  - name: B
    class: heuristic/keywords
    phrases: [b]
    speeker: agent
    depends_on: [A]
`,
    );
    const validated = await runCli(['validate', card]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain('3 problems:');
    expect(validated.stderr).toContain(`${card}:4:12: scores[0].class: unknown kind "keywordz"`);
    expect(validated.stderr).toContain(
      `${card}:6:17: scores[0].depends_on: dependency cycle: A → B → A`,
    );
    expect(validated.stderr).toContain(
      `${card}:10:5: scores[1].speeker: unknown setting "speeker"; did you mean "speaker"?`,
    );
  });

  it('--score X needs only X: a missing model of another score does not stop it', async () => {
    const card = write(
      'selected.yaml',
      `name: Mixed
scores:
  - name: Forest
    class: forest/random-forest
    labels: [spam, ham]
    model: missing.forest.json
  - name: Spam
    class: heuristic/keywords
    phrases: [win]
    labels: [spam, ham]
`,
    );
    const whole = await runCli(['validate', card, '--data', spam]);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain('missing.forest.json');
    const out = join(dir, 'run-selected');
    const evaluated = await runCli([
      'evaluate',
      card,
      '--data',
      spam,
      '--score',
      'Spam',
      '--out',
      out,
      '--json',
    ]);
    expect(evaluated.stderr).not.toContain('missing.forest.json');
    expect(evaluated.code).toBe(0);
    expect(Object.keys(JSON.parse(evaluated.stdout).scores)).toEqual(['Spam']);
  });
});
