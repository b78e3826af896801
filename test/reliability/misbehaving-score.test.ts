// A third-party score package that misbehaves, run by the real `plexus` CLI: every item still ends
// as one result line or one reported error naming the package and the fix, counted by hand here.
// Before: a BigInt or a cycle in a trace failed the whole run (and every resume), a negative cost
// went into the totals, `throw null` gave the message "null", `process.exit(0)` (or a call that
// never settles) ended the run with exit 0 and no word, and `console.log` broke `--json`.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, here, runCli, storedResults, workDir, writeScorePackage } from './harness.js';

/** What the package does for an item whose text is the key (batches of one). */
const behaviours: Record<string, string> = {
  ok: `({ value: 'yes', status: 'ok' })`,
  bigint_trace: `({ value: 'yes', status: 'ok', trace: { tokens: 10n } })`,
  circular_trace: `(() => { const trace = {}; trace.self = trace; return { value: 'yes', status: 'ok', trace }; })()`,
  throwing_tojson: `({ value: 'yes', status: 'ok', trace: { toJSON() { throw new Error('no JSON'); } } })`,
  throwing_getter: `({ get value() { throw new Error('no value'); }, status: 'ok' })`,
  negative_cost: `({ value: 'yes', status: 'ok', usage: { costUsd: -5, calls: 1 } })`,
  text_tokens: `({ value: 'yes', status: 'ok', usage: { inputTokens: 'many' } })`,
  object_explanation: `({ value: 'yes', status: 'ok', explanation: { why: 1 } })`,
  error_without_message: `({ value: null, status: 'error' })`,
  throw_null: `(() => { throw null; })()`,
  throw_text: `(() => { throw 'gave up'; })()`,
  exit: `(() => { if (process.env.SCORE_EXITS) process.exit(0); return { value: 'yes', status: 'ok' }; })()`,
  never: `(process.env.SCORE_HANGS ? new Promise(() => {}) : { value: 'yes', status: 'ok' })`,
  prints: `(() => { console.log('a note from the package'); process.stdout.write('{"not": "plexus"}\\n'); return { value: 'yes', status: 'ok' }; })()`,
};

/** A project: `plexus-score-odd` in its node_modules, a card using it, a dataset of `texts`. */
function project(name: string, texts: readonly string[]): { card: string; dir: string } {
  const dir = workDir(`misbehaving-${name}`);
  const cases = Object.entries(behaviours)
    .map(([key, output]) => `    case ${JSON.stringify(key)}: return ${output};`)
    .join('\n');
  writeScorePackage(
    dir,
    'plexus-score-odd',
    `function answer(text) {\n  switch (text) {\n${cases}\n  }\n}
export const plugin = {
  specificationVersion: 'v1', name: 'plexus-score-odd',
  factories: [{
    specificationVersion: 'v1', kind: 'odd',
    settingsSchema: { safeParse: (value) => ({ success: true, data: value }) },
    create: (settings, env) => ({
      specificationVersion: 'v1', kind: 'plexus-score-odd/odd', name: env.name, labels: ['yes', 'no'],
      fingerprint: 'odd-1', maxBatchSize: 1,
      async doScore({ items }) { return Promise.all(items.map(async (item) => answer(item.text))); },
    }),
  }],
};
`,
  );
  writeFileSync(
    join(dir, 'data.csv'),
    `id,text,label\n${texts.map((text, index) => `${index + 1},${text},yes`).join('\n')}\n`,
  );
  const card = join(dir, 'card.yaml');
  writeFileSync(
    card,
    'name: Odd\ndata:\n  path: data.csv\nscores:\n  - name: Odd\n    class: plexus-score-odd/odd\n    labels: [yes, no]\n    label_column: label\n',
  );
  return { card, dir };
}

interface Line {
  item_id: string;
  status: string;
  cost_usd: number | null;
  input_tokens: unknown;
  explanation: unknown;
  error: { message: string; code?: string } | null;
}

function lines(out: string): Line[] {
  return readFileSync(join(out, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => JSON.parse(text) as Line);
}

describe('a score package that misbehaves', () => {
  it('gives each bad output or throw one error line naming the package and the fix; the rest are scored', async () => {
    const bad = [
      'bigint_trace',
      'circular_trace',
      'throwing_tojson',
      'throwing_getter',
      'negative_cost',
      'text_tokens',
      'object_explanation',
      'error_without_message',
      'throw_null',
      'throw_text',
    ];
    const texts = ['ok', ...bad, 'ok', 'ok'];
    const { card, dir } = project('outputs', texts);
    const out = join(dir, 'run');
    const result = await runCli(['evaluate', card, '--out', out, '--no-cache', '--quiet']);
    // Completed (exit 3: more than 10% errors), not failed: no line broke the run.
    expect(result.code, result.stderr).toBe(3);
    const stored = lines(out);
    // Hand count: one line per item, 13 items, 3 ok and 10 errors.
    expect(stored.map((line) => Number(line.item_id)).sort((a, b) => a - b)).toEqual(
      texts.map((_, index) => index + 1),
    );
    const byText = new Map(stored.map((line) => [texts[Number(line.item_id) - 1], line]));
    expect(stored.filter((line) => line.status === 'ok')).toHaveLength(3);
    for (const text of bad) {
      const line = byText.get(text)!;
      expect(line.status, text).toBe('error');
      expect(line.error?.message, text).toMatch(/^score "Odd" \(plexus-score-odd\) /);
      expect(line.error?.message, text).toMatch(/a fix for plexus-score-odd: /);
    }
    expect(byText.get('bigint_trace')!.error!.message).toMatch(/trace cannot be stored as JSON/);
    expect(byText.get('circular_trace')!.error!.message).toMatch(/trace cannot be stored as JSON/);
    expect(byText.get('negative_cost')!.error!.message).toMatch(/usage\.costUsd is -5/);
    expect(byText.get('text_tokens')!.error!.message).toMatch(/usage\.inputTokens is text/);
    expect(byText.get('object_explanation')!.error!.message).toMatch(/explanation is an object/);
    expect(byText.get('error_without_message')!.error!.message).toMatch(/error is missing/);
    expect(byText.get('throw_null')!.error!.message).toMatch(/threw null instead of an Error/);
    expect(byText.get('throw_text')!.error!.message).toMatch(/threw the text "gave up"/);
    // No refused number reached a line or the totals: no cost, tokens as numbers, text explanations.
    for (const line of stored) {
      expect(line.cost_usd).toBe(0);
      expect(typeof line.input_tokens).toBe('number');
      expect(line.explanation === null || typeof line.explanation === 'string').toBe(true);
    }
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      scores: Record<string, { n_errors: number; n_results: number }>;
    };
    expect(metrics.scores.Odd).toMatchObject({ n_errors: 10, n_results: 13 });
  });

  it('process.exit(0) inside a score is a failed run, said with the resume, not exit 0; the resume scores each item once', async () => {
    const texts = ['ok', 'ok', 'exit', 'ok', 'ok'];
    const { card, dir } = project('exit', texts);
    const out = join(dir, 'run');
    const exited = await runCli(['evaluate', card, '--out', out, '--no-cache'], {
      SCORE_EXITS: '1',
    });
    expect(exited.code).toBe(1);
    expect(exited.stderr).toContain('called process.exit(0)');
    expect(exited.stderr).toContain(`continue with --resume ${out}`);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { status: string };
    expect(info.status).toBe('failed');
    const resumed = await runCli(['evaluate', card, '--resume', out, '--no-cache', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const ids = storedResults(out).map((line) => line.item);
    expect(ids.sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('a call that never settles ends the run with an error that says so, not exit 0', async () => {
    const { card, dir } = project('never', ['ok', 'never', 'ok']);
    const out = join(dir, 'run');
    const hung = await runCli(['evaluate', card, '--out', out, '--no-cache'], { SCORE_HANGS: '1' });
    expect(hung.code).not.toBe(0);
    expect(hung.stderr).toContain("a score's call never settled");
    expect(hung.stderr).toContain(`continue with --resume ${out}`);
  });

  it('the commands it prints for a folder with spaces, quotes and Unicode can be pasted into a shell', async () => {
    const { card, dir } = project('shell words', ['ok', 'throw_text', 'exit']);
    const out = join(dir, "my runs/Zoë's run");
    const exited = await runCli(['evaluate', card, '--out', out, '--no-cache'], {
      SCORE_EXITS: '1',
    });
    expect(exited.code).toBe(1);
    const printed = /continue with (--resume .*)\n/.exec(exited.stderr)?.[1];
    expect(printed).toBe(`--resume '${dir}/my runs/Zoe'\\''s run'`.replace('Zoe', 'Zoë'));
    // Pasted as printed: the shell hands the folder over whole ("--resume my runs/..." was three words).
    const pasted = spawnSync(
      'bash',
      ['-c', `"$0" "$1" evaluate "$2" ${printed} --no-cache --quiet`, process.execPath, cli, card],
      { cwd: here, encoding: 'utf8' },
    );
    expect(pasted.status, pasted.stderr).toBe(3);
    const retry = /Score the failed items again with: plexus (.*)\n/.exec(pasted.stderr)?.[1];
    expect(retry).toContain(`--resume '${dir}/my runs/Zo`);
    // Hand count: the 3 items, one line each, the thrown one an error.
    expect(
      storedResults(out)
        .map((line) => `${line.item}:${line.status}`)
        .sort(),
    ).toEqual(['1:ok', '2:error', '3:ok']);
  });

  it('predict (no run folder) says it ended early too, not exit 0 with lines missing', async () => {
    const { card, dir } = project('predict-early', ['ok', 'exit', 'never', 'ok']);
    for (const [env, why] of [
      [{ SCORE_EXITS: '1' }, 'called process.exit(0)'],
      [{ SCORE_HANGS: '1' }, "a score's call never settled"],
    ] as const) {
      const predicted = await runCli(['predict', card, '--data', join(dir, 'data.csv')], env);
      expect(predicted.code).toBe(1);
      expect(predicted.stderr).toContain(`plexus predict ended before it finished: `);
      expect(predicted.stderr).toContain(why);
      // Fewer than the 4 items' lines reached stdout.
      expect(predicted.stdout.trim().split('\n').filter(Boolean).length).toBeLessThan(4);
    }
  });

  it("what a package prints goes to stderr: evaluate --json and predict's lines stay JSON", async () => {
    const { card, dir } = project('prints', ['ok', 'prints', 'ok']);
    const run = await runCli(['evaluate', card, '--out', join(dir, 'run'), '--no-cache', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { results: number }).results).toBe(3);
    expect(run.stderr).toContain('a note from the package');
    const predicted = await runCli(['predict', card, '--data', join(dir, 'data.csv')]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const printed = predicted.stdout.trim().split('\n');
    expect(printed.map((line) => (JSON.parse(line) as { item_id: string }).item_id)).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(predicted.stderr).toContain('a note from the package');
  });
});
