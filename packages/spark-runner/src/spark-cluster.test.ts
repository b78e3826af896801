// A real standalone Spark cluster on this machine: a master and a worker started with pyspark's
// own spark-class on 127.0.0.1, `runOnSpark` with `--master spark://127.0.0.1:PORT` scoring an LLM
// score against the test server, and one executor killed with SIGKILL mid-job. Spark retries the
// lost tasks on a new executor; the shared cache makes the retries read what was answered.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { plugin as llm } from '@plexus/classifier-llm';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { evaluate, loadScorecard } from '@plexus/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runOnSpark } from './spark-submit.js';
import { type LocalSpark, localSpark } from './testing.js';

let spark: LocalSpark;
const started: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'plexus-spark-cluster-'));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `spark-class CLASS ...args` in its own process group; resolves once `ready` is logged. */
function sparkClass(args: string[], ready: RegExp): Promise<ChildProcess> {
  const java = realpathSync(execFileSync('which', ['java'], { encoding: 'utf8' }).trim());
  const child = spawn(join(dirname(spark.sparkSubmit), 'spark-class'), args, {
    detached: true,
    env: {
      ...process.env,
      SPARK_LOCAL_IP: '127.0.0.1',
      JAVA_HOME: dirname(dirname(java)),
      SPARK_LOG_DIR: join(dir, 'logs'),
      PYSPARK_PYTHON: spark.python,
      SPARK_DAEMON_JAVA_OPTS: spark.javaOptions,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    let log = '';
    const look = (chunk: Buffer) => {
      log += chunk.toString();
      if (ready.test(log)) resolve(child);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) =>
      reject(new Error(`spark-class exited with ${code}: ${log.slice(-2000)}`)),
    );
  });
}

/** The pids of the executors the test's worker launched: they run in a folder under its work dir. */
function executorPids(workDir: string): number[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .filter((line) => line.includes('CoarseGrainedExecutorBackend'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => {
      try {
        return realpathSync(`/proc/${pid}/cwd`).startsWith(realpathSync(workDir));
      } catch {
        return false; // ended since
      }
    });
}

/** A process and every process under it (the executor's Python workers and their Node workers). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index += 1)
    tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/** Sends a signal to each process still there. */
function signal(pids: readonly number[], name: NodeJS.Signals): void {
  for (const pid of pids)
    try {
      process.kill(pid, name);
    } catch {
      // ended since
    }
}

/** Stops these processes (SIGSTOP) and waits until each is stopped or gone. */
function freeze(pids: readonly number[]): void {
  signal(pids, 'SIGSTOP');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const pid of pids)
    for (let tries = 0; tries < 400; tries += 1) {
      let state = '';
      try {
        state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] ?? '';
      } catch {
        break; // gone
      }
      if (state === 'T' || state === 'Z') break;
      Atomics.wait(pause, 0, 0, 5);
    }
}

/** Entries in a cache folder's logs: complete lines (a line cut by a kill is not an entry). */
function cacheEntries(folder: string): number {
  let names: string[] = [];
  try {
    names = readdirSync(join(folder, 'log'));
  } catch {
    return 0; // nothing written yet
  }
  let entries = 0;
  for (const name of names)
    for (const byte of readFileSync(join(folder, 'log', name))) if (byte === 10) entries += 1;
  return entries;
}

let master = '';
const workDir = join(dir, 'work');

beforeAll(async () => {
  spark = localSpark();
  mkdirSync(workDir, { recursive: true });
  const [port, masterUi, workerUi] = [await freePort(), await freePort(), await freePort()];
  master = `spark://127.0.0.1:${port}`;
  await sparkClass(
    [
      'org.apache.spark.deploy.master.Master',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--webui-port',
      String(masterUi),
    ],
    /I have been elected leader|Starting Spark master/,
  );
  await sparkClass(
    [
      'org.apache.spark.deploy.worker.Worker',
      master,
      '--host',
      '127.0.0.1',
      '--cores',
      '2',
      '--memory',
      '2g',
      '--webui-port',
      String(workerUi),
      '--work-dir',
      workDir,
    ],
    /Successfully registered with master/,
  );
}, 900_000);

afterAll(() => {
  for (const child of started) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL'); // the group: the JVM and its executors
    } catch {
      // already gone
    }
  }
});

it('scores on a standalone cluster with an executor killed mid-job: the results of an in-process run', async () => {
  const server = await startTestServer({ seed: 8, latencyMs: 30 });
  try {
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      `name: Cluster\nscores:\n  - { name: Spam, class: llm/classifier, labels: [spam, ham], model: test-model, base_url: ${JSON.stringify(server.url)}, api_key_env: PLEXUS_SPARK_TEST_KEY, max_concurrency: 8, prompt: "Is this spam? {{ text }}" }\n`,
    );
    process.env.PLEXUS_SPARK_TEST_KEY = 'test-key';
    const items = 600;
    const rows = Array.from({ length: items }, (_, index) => `c${index},cluster message ${index}`);
    writeFileSync(join(dir, 'items.csv'), `id,text\n${rows.join('\n')}\n`);
    const scorecard = await loadScorecard(card, {
      plugins: [llm],
      cacheDir: join(dir, 'local-cache'),
      cache: false,
    });
    const lines: string[] = [];
    const cacheDir = join(dir, 'cache');
    let killed: number[] = [];
    let kill: { cached: number; requests: number; bodies: Set<string> } | undefined;
    // Once a third of the calls are answered, the executor is lost with everything under it
    // (its Python and Node workers), as when a machine dies: first frozen, so that the answers
    // in the shared cache at that moment are counted, then killed. The worker starts another.
    const killer = setInterval(() => {
      if (killed.length > 0 || server.stats.requests < items / 3) return;
      killed = executorPids(workDir);
      const tree = killed.flatMap(processTree);
      freeze(tree);
      const cached = cacheEntries(join(cacheDir, 'llm-responses'));
      signal(tree, 'SIGKILL');
      // A second for the server to read what the frozen workers had sent (no new executor
      // starts that fast): every call of the lost attempts is then counted.
      setTimeout(() => {
        const bodies = new Set(server.stats.byBody.keys());
        kill = { cached, requests: server.stats.requests, bodies };
      }, 1000);
    }, 20);
    const summary = await runOnSpark({
      scorecard,
      input: join(dir, 'items.csv'),
      output: join(dir, 'out'),
      runDir: join(dir, 'run'),
      master,
      partitions: 4,
      conf: {
        'spark.executor.memory': '1g',
        'spark.task.maxFailures': '4',
        'spark.executor.extraJavaOptions': spark.javaOptions,
      },
      sparkSubmit: spark.sparkSubmit,
      env: { ...process.env, ...spark.javaEnv },
      cacheDir,
      onOutput: (line) => lines.push(line),
    }).finally(() => clearInterval(killer));
    // Every answer that arrived before the kill was in the shared cache (written as it arrives,
    // not at the partition's end): only the calls in flight then were unanswered, at most the
    // job's max_concurrency (2 tasks x 4). Those, and only those, are asked again.
    const repeated = [...server.stats.byBody.values()].reduce((sum, count) => sum + count - 1, 0);
    const asked = [...server.stats.byBody].filter(([, count]) => count > 1).map(([body]) => body);
    expect(killed).toHaveLength(1);
    expect(kill).toBeDefined();
    const inFlight = kill!.requests - kill!.cached;
    process.stderr.write(
      `cluster test: executor ${killed.join(',')} killed after ${kill!.requests} of ${items} requests, ${kill!.cached} answers in the cache; ${repeated} asked again\n`,
    );
    expect(inFlight).toBeGreaterThanOrEqual(0);
    expect(inFlight).toBeLessThanOrEqual(8);
    expect(repeated).toBe(inFlight);
    expect(asked.every((body) => kill!.bodies.has(body))).toBe(true);
    expect(server.stats.requests).toBe(items + repeated);
    expect(kill!.requests).toBeLessThan(items);
    expect(summary).toMatchObject({ status: 'completed', items, results: items, errors: 0 });
    // The same labels as in-process (the server's answer depends only on the text).
    const local = await evaluate({
      scorecard,
      data: join(dir, 'items.csv'),
      outDir: join(dir, 'local'),
      cache: false,
    });
    const values = (run: string) =>
      Object.fromEntries(
        readFileSync(join(run, 'results.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((text) => JSON.parse(text) as { item_id: string; value: string })
          .map((line) => [line.item_id, line.value]),
      );
    expect(values(join(dir, 'run'))).toEqual(values(local.dir));
  } finally {
    await server.close();
  }
});
