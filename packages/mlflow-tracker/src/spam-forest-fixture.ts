// A small forest trained on the spam example's test data, once per test process: the tests that
// register a model file need one, and examples/spam/models holds none in a fresh clone (its
// forest is trained there by `pnpm train`, and ignored by git).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as forestPlugin } from '@plexus/classifier-forest';
import { loadScorecard, train } from '@plexus/core';

let trained: Promise<string> | undefined;

/** The path of a 10-tree spam/ham forest model file (do not change it: copy it). */
export function spamForest(): Promise<string> {
  trained ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-mlflow-spam-forest-'));
    writeFileSync(
      join(dir, 'card.yaml'),
      'name: Spam\nscores:\n  - { name: Forest, class: forest/random-forest, labels: [spam, ham], label_column: label, model: spam.forest.json, trees: 10 }\n',
    );
    const scorecard = await loadScorecard(join(dir, 'card.yaml'), {
      create: false,
      plugins: [forestPlugin],
    });
    const data = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));
    const [model] = await train({ scorecard, data, testFraction: 0 });
    return model!.modelPath;
  })();
  return trained;
}
