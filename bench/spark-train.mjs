// Forest training on Spark local[2] vs in-process, Banking77 rows (10k as given; 100k = ten
// copies with their own ids). Spark: 2 shards (one task each); local: shards 1 (every tree on all
// rows, the default) and shards 2 (the same model file as Spark's, checked byte for byte).
// Usage: node bench/spark-train.mjs [trees] [copies...]   (after `pnpm build`; default 20 1 10)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugin as forest } from '@plexus/classifier-forest';
import { loadScorecard, train } from '@plexus/core';
import { trainOnSpark } from '@plexus/spark-runner';
import { localSpark } from '@plexus/spark-runner/testing';

const trees = Number(process.argv[2] ?? 20);
const copies = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [1, 10];
const banking = fileURLToPath(new URL('../examples/banking-intents/', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-bench-spark-train-'));
const source = readFileSync(join(banking, 'scorecard.yaml'), 'utf8');
const labels = source.slice(
  source.indexOf('    labels: &intents'),
  source.indexOf('    label_column: category'),
);
const rows = readFileSync(join(banking, 'data/train.csv'), 'utf8').trimEnd().split('\r\n').slice(1);
const { sparkSubmit } = localSpark();

function card(name) {
  const path = join(folder, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}\ndata: { text_column: text }\nscores:\n  - name: Intent Forest\n    class: forest/random-forest\n${labels}    label_column: category\n    model: ${name}.json\n    trees: ${trees}\n`,
  );
  return loadScorecard(path, { plugins: [forest], create: false });
}

async function timed(work) {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

console.log(
  `| rows | Spark local[2], 2 shards s | local, shards 1 s | local, shards 2 s | speed vs local shards 1 (local s / Spark s) | same file as local shards 2 |`,
);
console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
for (const copy of copies) {
  const data = join(folder, `train-${copy}.csv`);
  const lines = [];
  for (let index = 0; index < copy; index += 1)
    for (const [row, line] of rows.entries()) lines.push(`c${index}-r${row},${line}`);
  writeFileSync(data, `id,text,category\n${lines.join('\n')}\n`);
  const spark = await timed(async () =>
    trainOnSpark({
      scorecard: await card(`spark-${copy}`),
      score: 'Intent Forest',
      input: data,
      output: join(folder, `out-${copy}`),
      shards: 2,
      testFraction: 0,
      sparkSubmit,
    }),
  );
  const whole = await timed(async () =>
    train({ scorecard: await card(`whole-${copy}`), data, testFraction: 0 }),
  );
  const sharded = await timed(async () =>
    train({
      scorecard: await card(`sharded-${copy}`),
      data,
      testFraction: 0,
      split: 'hash',
      settingsOverride: { shards: 2 },
    }),
  );
  const same = readFileSync(join(folder, `spark-${copy}.json`)).equals(
    readFileSync(join(folder, `sharded-${copy}.json`)),
  );
  console.log(
    `| ${lines.length} | ${spark.toFixed(1)} | ${whole.toFixed(1)} | ${sharded.toFixed(1)} | ${(whole / spark).toFixed(2)}x | ${same ? 'yes' : 'NO'} |`,
  );
}
