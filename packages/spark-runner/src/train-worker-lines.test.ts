// The training job's line reader (python/plexus_spark_train.py `run_worker`) against a real
// subprocess: answer lines are split on "\n" only, so a text holding U+2028, U+2029 or U+0085
// (which JSON.stringify leaves unescaped) stays one JSON line.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { localSpark } from './testing.js';

const pythonDir = fileURLToPath(new URL('../python', import.meta.url));

it('reads each worker answer as one JSON line whatever line separators its text holds', () => {
  const texts = ['plain', 'a\u2028b', 'c\u2029d', 'e\u0085f', 'g\rh', 'ünï ✓'];
  const lines = texts.map((text) => JSON.stringify({ kind: 'item', item: { text } }));
  const script = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(pythonDir)})`,
    'from plexus_spark_train import run_worker',
    'lines = json.loads(sys.stdin.read())',
    // `cat` gives back what it is given: the lines as the worker wrote them.
    'answers = list(run_worker(["cat"], lines, lambda line: line["item"]["text"]))',
    'sys.stdout.write(json.dumps(answers))',
  ].join('\n');
  const out = execFileSync(localSpark().python, ['-c', script], {
    input: JSON.stringify(lines),
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual(texts);
});
