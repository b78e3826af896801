// Where `pnpm test`'s turbo run spent its time, from turbo's newest run summary
// (.turbo/runs/*.json, written when TURBO_RUN_SUMMARY=true; .ci/run sets it): the longest tasks
// with when each started and ended (seconds from the first start), and how busy the turbo slots
// were (the tasks' summed durations over slots x span; below 100% a slot sat idle, waiting for a
// dependency's build, or the run's tail had one task left).
// Usage: node scripts/turbo-timeline.mjs [SUMMARY.json] [--slots N] [--top N]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const slots = option('--slots', 3); // `pnpm test`: turbo --concurrency=3
const top = option('--top', 15);

/** The newest run summary of the repository, or undefined when turbo wrote none. */
function newestSummary() {
  const dir = join(root, '.turbo/runs');
  let files;
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return undefined;
  }
  const times = files.map((name) => [statSync(join(dir, name)).mtimeMs, join(dir, name)]);
  return times.sort((a, b) => b[0] - a[0])[0]?.[1];
}

const file = args[0] ?? newestSummary();
if (!file) {
  console.error(
    'turbo-timeline: no run summary in .turbo/runs (run turbo with TURBO_RUN_SUMMARY=true)',
  );
  process.exit(1);
}
const tasks = JSON.parse(readFileSync(file, 'utf8'))
  .tasks.filter((task) => task.execution?.startTime && task.execution?.endTime)
  .map((task) => ({
    id: task.taskId,
    start: task.execution.startTime,
    end: task.execution.endTime,
    cached: task.cache?.status === 'HIT',
  }));
if (tasks.length === 0) {
  console.error(`turbo-timeline: no task ran in ${file}`);
  process.exit(1);
}
const first = Math.min(...tasks.map((task) => task.start));
const last = Math.max(...tasks.map((task) => task.end));
const busy = tasks.reduce((sum, task) => sum + (task.end - task.start), 0);
const seconds = (ms) => (ms / 1000).toFixed(1).padStart(6);
console.log(
  `turbo: ${tasks.length} tasks in ${seconds(last - first).trim()} s; slots busy ${((100 * busy) / (slots * (last - first))).toFixed(0)}% of ${slots} x the span (${file})`,
);
console.log('  duration   start     end  task (longest first)');
for (const task of [...tasks].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, top))
  console.log(
    `  ${seconds(task.end - task.start)} ${seconds(task.start - first)} ${seconds(task.end - first)}  ${task.id}${task.cached ? ' (cached)' : ''}`,
  );
