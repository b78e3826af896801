import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter, runMain, writeSlowPackage } from './test-packages.js';

// calibrate on an LLM score without logprobs said "--data: 0 labelled answers with a confidence:
// calibration needs at least 10", as if the data were short, not the score without confidences.
const project = mkdtempSync(join(tmpdir(), 'plexus-calibrate-no-confidence-'));
writeSlowPackage(project); // parity of the text, no confidence
const write = fileWriter(project);
const rows = Array.from(
  { length: 20 },
  (_, index) => `${index},${index},${index % 2 ? 'odd' : 'even'}`,
);
write('data.csv', `id,text,Parity\n${rows.join('\n')}\n`);
const card = write(
  'card.yaml',
  'name: Numbers\ndata: { path: data.csv }\nscores:\n  - { name: Parity, class: plexus-score-slow/parity, labels: [even, odd] }\n',
);

describe('plexus calibrate on a score without confidences', () => {
  it('says the answers carry no confidence, not only that there are too few', async () => {
    const fitted = await runMain([
      'calibrate',
      card,
      '--score',
      'Parity',
      '--cache-dir',
      join(project, 'cache'),
    ]);
    expect(fitted.code).toBe(2);
    expect(fitted.stderr).toContain(
      "0 labelled answers with a confidence: calibration needs at least 10 (more is better); this score's answers carry no confidence (an llm/classifier has one with logprobs: true)",
    );
  });
});
