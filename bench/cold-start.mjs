// Cold start: wall time of `plexus evaluate` on a 1-item dataset with rule scores (target <= 0.5 s).
// Usage: node bench/cold-start.mjs [runs]   (after `pnpm build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRulesCard } from './transcripts.mjs';

const runs = Number(process.argv[2] ?? 11);
const root = fileURLToPath(new URL('..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-cold-'));
const data = join(folder, 'one.csv');
writeFileSync(
  data,
  'id,text\n1,"Agent: hello this is harper valley national bank, how can i help you"\n',
);
const cards = {
  'one keywords score': join(folder, 'one.yaml'),
  'call-center-qa rules (6 rule scores)': join(folder, 'rules.yaml'),
};
writeRulesCard(cards['call-center-qa rules (6 rule scores)']);
// The rules card names a gold column per score: the one item has them, empty (no gold: not scored
// for accuracy), so the run's preflight finds every column it names.
const goldColumns = [
  ...readFileSync(cards['call-center-qa rules (6 rule scores)'], 'utf8').matchAll(
    /label_column:\s*(\w+)/g,
  ),
].map((match) => match[1]);
const columns = [...goldColumns, 'duration_s']; // the metadata field its Call Length rule reads
writeFileSync(
  data,
  `id,text${columns.map((name) => `,${name}`).join('')}\n1,"Agent: hello this is harper valley national bank, how can i help you"${','.repeat(goldColumns.length)},95\n`,
);
writeFileSync(
  cards['one keywords score'],
  'name: One\nscores:\n  - { name: Bank, class: heuristic/keywords, phrases: [harper valley] }\n',
);

console.log(
  `machine: ${cpus().length} x ${cpus()[0].model}; node ${process.version}; ${new Date().toISOString()}; median of ${runs}`,
);
console.log('| scorecard | wall (s) |');
console.log('| --- | ---: |');
for (const [name, card] of Object.entries(cards)) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'packages/cli/dist/bin.js'),
        'evaluate',
        card,
        '--data',
        data,
        '--out',
        join(folder, `${run}-${name.length}`),
        '--quiet',
      ],
      {
        cwd: join(root, 'examples/call-center-qa'),
      },
    );
    if (result.status !== 0) throw new Error(String(result.stderr));
    times.push((performance.now() - started) / 1000);
  }
  times.sort((left, right) => left - right);
  console.log(`| ${name} | ${times[Math.floor(times.length / 2)].toFixed(3)} |`);
}
