import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from './test-packages.js';

// A resume's summary printed the whole run's counts beside this process's seconds ("497 LLM
// calls ... 2.1 s"): a rate read from that line was wrong. The seconds now say they are the
// resume's.
const project = mkdtempSync(join(tmpdir(), 'plexus-resume-summary-'));
writeFileSync(join(project, 'data.csv'), 'id,text\na,refund please\nb,hello\nc,my refund\n');
const card = join(project, 'card.yaml');
writeFileSync(
  card,
  'name: Refunds\nscores:\n  - { name: Refund, class: heuristic/keywords, labels: [yes, no], phrases: [refund] }\n',
);

it("says a resumed run's seconds are the resume's and its counts the whole run's", async () => {
  const out = join(project, 'run');
  const data = join(project, 'data.csv');
  const first = await runMain(['evaluate', card, '--data', data, '--out', out]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/3 results, .* s\n/);
  expect(first.stdout).not.toContain('this resume');
  // Cut to its first result, as an interruption leaves it.
  const results = join(out, 'results.jsonl');
  writeFileSync(results, `${readFileSync(results, 'utf8').split('\n')[0]}\n`);
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  writeFileSync(join(out, 'run.json'), JSON.stringify({ ...info, status: 'interrupted' }));
  const resumed = await runMain(['evaluate', card, '--resume', out]);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stdout).toMatch(
    /3 items, 3 results, .* s this resume \(the counts are the whole run\)\n/,
  );
});
