import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScorecard, train } from '@plexus/core';
import { expect, it } from 'vitest';
import { plugin } from './plugin.js';

// Trained on items of one label, a forest answers it for every item; nothing said so (the facts
// were its size only, and a held-out test of the same label looked perfect).
it('says which declared labels no training item has: the model never answers them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-forest-absent-'));
  const rows = Array.from({ length: 12 }, (_, index) => `${index + 1},win cash ${index},spam`);
  writeFileSync(join(dir, 'data.csv'), `id,text,label\n${rows.join('\n')}\n`);
  const path = join(dir, 'card.yaml');
  writeFileSync(
    path,
    'name: One\ndata:\n  path: data.csv\nscores:\n  - name: F\n    class: forest/random-forest\n    labels: [spam, ham, other]\n    label_column: label\n    model: f.forest.json\n    trees: 3\n',
  );
  const card = await loadScorecard(path, { create: false, plugins: [plugin] });
  const [trained] = await train({ scorecard: card, testFraction: 0.25 });
  expect(trained!.facts).toContain(
    'no training item is labelled "ham", "other": the model never answers them; train on items of every label',
  );
});
