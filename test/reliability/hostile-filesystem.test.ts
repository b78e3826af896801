// Hostile paths (issue 22): training writes only inside the scorecard's folder or --out and never
// over a file that is not its kind of model; a file that fails to parse as a model is never quoted.
// Failing file systems: hostile-filesystem-cache.test.ts (the response cache) and
// hostile-filesystem-errors.test.ts (the run folder); their shared parts in filesystem-harness.ts.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dir, env, sms } from './filesystem-harness.js';
import { runCli } from './harness.js';

describe('training writes only inside the scorecard folder or --out', () => {
  const project = join(dir, 'a', 'project');
  const outside = join(dir, 'some');
  const victim = join(outside, 'file');
  mkdirSync(project, { recursive: true });
  mkdirSync(outside, { recursive: true });
  copyFileSync(sms, join(project, 'data.csv'));
  const card = (model: string, file = 'card.yaml') => {
    writeFileSync(
      join(project, file),
      `name: Spam\nscores:\n  - name: spam\n    class: forest/random-forest\n    label_column: label\n    labels: [spam, ham]\n    model: ${JSON.stringify(model)}\n    trees: 5\n`,
    );
    return join(project, file);
  };
  const train = (path: string, ...args: string[]) =>
    runCli(['train', path, '--data', join(project, 'data.csv'), '--quiet', ...args], env);

  it('model: ../../some/file or an absolute path outside: exit 2 naming the path and --out, the file untouched', async () => {
    for (const model of ['../../some/file', victim]) {
      writeFileSync(victim, 'precious notes\n');
      const result = await train(card(model));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(victim);
      expect(result.stderr).toContain("outside the scorecard's folder");
      expect(result.stderr).toContain('--out');
      expect(readFileSync(victim, 'utf8')).toBe('precious notes\n');
    }
  });

  it('a file that is not a plexus-forest model, inside the folder or in --out, is not overwritten', async () => {
    const notes = join(project, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const inside = await train(card('notes.txt'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`${notes} exists and is not a plexus-forest model`);
    expect(inside.stderr).toContain('--out');
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');

    const out = join(dir, 'trained');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'spam.json'), '{"api_key": "keep me"}\n');
    const intoOut = await train(card('models/spam.json'), '--out', out);
    expect(intoOut.code).toBe(2);
    expect(intoOut.stderr).toContain(join(out, 'spam.json'));
    expect(readFileSync(join(out, 'spam.json'), 'utf8')).toBe('{"api_key": "keep me"}\n');
  });

  it('its own model is replaced, inside the folder and in --out; the model path outside is fine with --out', async () => {
    const path = card('models/spam.json');
    for (let round = 0; round < 2; round += 1) expect((await train(path)).code).toBe(0);
    const model = JSON.parse(readFileSync(join(project, 'models', 'spam.json'), 'utf8'));
    expect(model.format).toBe('plexus-forest');

    const out = join(dir, 'elsewhere-out');
    writeFileSync(victim, 'precious notes\n');
    const redirected = await train(card('../../some/file'), '--out', out);
    expect(redirected.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'file'), 'utf8')).format).toBe('plexus-forest');
    expect(readFileSync(victim, 'utf8')).toBe('precious notes\n');
  });

  it('train --sweep --out over a file that is not a model: exit 2 before any trial', async () => {
    const sweep = join(project, 'sweep.yaml');
    writeFileSync(
      sweep,
      'method: grid\nmetric: f1_macro\nvalidation: { folds: 2 }\nparameters:\n  trees: [3, 4]\n',
    );
    const out = join(dir, 'sweep-out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'spam.json'), 'not a model\n');
    const result = await runCli(
      [
        'train',
        card('models/spam.json'),
        '--data',
        join(project, 'data.csv'),
        '--sweep',
        sweep,
        '--sweep-dir',
        join(dir, 'sweep-folder'),
        '--out',
        out,
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(out, 'spam.json')} exists and is not a plexus-forest`);
    expect(result.stderr).not.toMatch(/^trial /m);
    expect(readFileSync(join(out, 'spam.json'), 'utf8')).toBe('not a model\n');
  });

  it('spark train with a model outside the folder: exit 2 before Spark is started', async () => {
    const result = await runCli(
      [
        'spark',
        'train',
        card('../../some/file'),
        '--score',
        'spam',
        '--input',
        join(project, 'data.csv'),
        '--output',
        join(dir, 'spark-output'),
        '--spark-submit',
        join(dir, 'no-spark-submit-here'),
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(victim);
    expect(result.stderr).toContain('--out');
    expect(result.stderr).not.toContain('no-spark-submit-here');
  });
});

describe('a file that fails to parse as a model is never quoted', () => {
  const project = join(dir, 'models');
  mkdirSync(project, { recursive: true });
  const secret = 'SECRET-TOKEN-4242';
  const files = {
    'text.json': `${secret}: not json at all\n`,
    'config.json': `{"api_key": "${secret}"}\n`,
    // A protobuf a reader can walk (a graph field, then a string) that is not a model.
    'walkable.onnx': Buffer.concat([
      Buffer.from([0x3a, 0x00, 0x0a, secret.length]),
      Buffer.from(secret),
    ]),
    'no-opset.onnx': Buffer.from([0x08, 0x07, 0x3a, 0x00]),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(project, name), content);
  writeFileSync(join(project, 'data.csv'), `id,text\n1,${secret} hello\n`);
  const evaluate = (kind: 'forest/random-forest' | 'onnx/classifier', model: string) => {
    const path = join(project, `${kind.replace('/', '-')}.yaml`);
    writeFileSync(
      path,
      `name: Models\nscores:\n  - { name: m, class: ${kind}, labels: [spam, ham], model: ${JSON.stringify(model)} }\n`,
    );
    return runCli(['evaluate', path, '--data', join(project, 'data.csv'), '--no-cache'], env);
  };

  it('forest and ONNX scores over text, JSON, protobuf and /etc/passwd: the file is named, its contents are not', async () => {
    const models = [...Object.keys(files).map((name) => join(project, name))];
    if (existsSync('/etc/passwd')) models.push('/etc/passwd');
    for (const kind of ['forest/random-forest', 'onnx/classifier'] as const)
      for (const model of models) {
        const result = await evaluate(kind, model);
        expect(result.code, `${kind} ${model}`).toBe(2);
        expect(result.stderr).toContain(model);
        expect(result.stderr).not.toContain('SECRET');
        expect(result.stderr).not.toMatch(/root:/);
      }
  });
});
