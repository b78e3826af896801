// Whether two run folders hold the same results: every (item, score) line of results.jsonl equal
// but for latency_ms, and metrics.json equal but for durations and latencies. For comparing two
// builds on one dataset, e.g. the build of an earlier commit against this one:
//
//   git worktree add --detach /tmp/old <commit>
//   ln -s "$PWD/node_modules" /tmp/old/node_modules    # and copy each packages/*/node_modules
//   (cd /tmp/old/packages/<pkg> && esbuild src/index.ts --bundle --platform=node --format=esm \
//      --packages=external --outfile=dist/index.js)   # per package; cli: src/bin.ts -> dist/bin.js
//   (cd /tmp/old/packages/cli && node bin/plexus.js evaluate CARD --data D --out /tmp/run-old --no-cache)
//   node packages/cli/bin/plexus.js evaluate CARD --data D --out /tmp/run-new --no-cache
//   node bench/same-results.mjs /tmp/run-old /tmp/run-new
//
// (Run the old CLI from its own packages/cli: a scorecard's score packages are looked up from the
// scorecard's folder, the working directory, then the CLI's.) Exit 1 when anything differs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [left, right] = process.argv.slice(2);
if (!left || !right) {
  process.stderr.write('usage: node bench/same-results.mjs RUN_A RUN_B\n');
  process.exit(2);
}

function lines(dir) {
  const byKey = new Map();
  for (const text of readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    const { latency_ms: _latency, ...line } = JSON.parse(text);
    byKey.set(JSON.stringify([line.item_id, line.score]), JSON.stringify(line));
  }
  return byKey;
}

/** metrics.json without what depends on the machine: durations and latencies. */
function metrics(dir) {
  return JSON.stringify(
    JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')),
    (key, value) => (key === 'duration_s' || key.startsWith('latency_') ? undefined : value),
  );
}

const [a, b] = [lines(left), lines(right)];
const differing = [...a.keys()].filter((key) => a.get(key) !== b.get(key));
const onlyB = [...b.keys()].filter((key) => !a.has(key));
console.log(
  `${a.size} and ${b.size} lines; ${differing.length} differ or are missing in B; ${onlyB.length} only in B`,
);
for (const key of [...differing, ...onlyB].slice(0, 5))
  console.log(`  ${key}\n    A: ${a.get(key) ?? '-'}\n    B: ${b.get(key) ?? '-'}`);
const sameMetrics = metrics(left) === metrics(right);
console.log(
  `metrics.json (without durations and latencies): ${sameMetrics ? 'same' : 'different'}`,
);
process.exit(differing.length === 0 && onlyB.length === 0 && sameMetrics ? 0 : 1);
