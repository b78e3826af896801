import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunInfo, RunLock, type RunMetricsFile } from '@plexus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test-packages.js';
import { startViewer, type Viewer } from './server.js';
import { type TestRow, writeTestRun } from './test-runs.js';

const folder = mkdtempSync(join(tmpdir(), 'plexus-runs-'));
const root = join(folder, 'runs');
const rows: TestRow[] = Array.from({ length: 30 }, (_, index) => ({
  id: `n${index}`,
  text: `number ${index}`,
  gold: index % 2 ? 'odd' : 'even',
  guess: index % 5 === 0 ? 'odd' : index % 2 ? 'odd' : 'even',
}));
let viewer: Viewer;

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

const plexus = runMain;

beforeAll(async () => {
  mkdirSync(root, { recursive: true });
  let clock = Date.parse('2026-03-01T08:00:00Z');
  const now = () => {
    clock += 60_000;
    return new Date(clock);
  };
  await writeTestRun(folder, 'older', rows, { scorecard: 'Parity', now });
  await writeTestRun(folder, 'newer', rows.slice(0, 10), { scorecard: 'Parity', now });
  // A run whose process died: run.json still says running, nobody holds its lock.
  cpSync(join(root, 'older'), join(root, 'killed'), { recursive: true });
  const killed = readJson<RunInfo>(join(root, 'killed', 'run.json'));
  writeFileSync(
    join(root, 'killed', 'run.json'),
    JSON.stringify({ ...killed, status: 'running', started_at: '2026-03-02T00:00:00.000Z' }),
  );
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'run.json'), '{ not json');
  mkdirSync(join(root, 'not-a-run'));
  viewer = await startViewer({ root, port: 0 });
});

afterAll(async () => {
  await viewer?.close();
});

describe('plexus runs', () => {
  it('lists runs newest first with status, items and metrics.json headlines; --json', async () => {
    const { code, stdout } = await plexus(['runs', root, '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as {
      runs: {
        name: string;
        status: string;
        items: number | null;
        scores: { accuracy: number }[];
      }[];
      problems: { name: string; message: string }[];
    };
    expect(list.runs.map((run) => [run.name, run.status])).toEqual([
      ['killed', 'interrupted'],
      ['newer', 'completed'],
      ['older', 'completed'],
    ]);
    const metrics = readJson<RunMetricsFile>(join(root, 'older', 'metrics.json'));
    const older = list.runs.find((run) => run.name === 'older')!;
    expect(older.items).toBe(30);
    // By hand: 30 items, wrong on the even multiples of 5 (0, 10, 20): 27 right.
    expect(older.scores[0]!.accuracy).toBe(27 / 30);
    expect(older.scores[0]!.accuracy).toBe(metrics.scores.Intent!.accuracy);
    expect(list.problems.map((problem) => problem.name)).toEqual(['broken']);
    const text = await plexus(['runs', root]);
    expect(text.stdout).toContain('3 runs in');
    expect(text.stdout).toMatch(
      /older\s+Parity\s+2026-03-01 08:01:00\s+completed\s+30\s+Intent: accuracy 0\.900, F1 /,
    );
    expect(text.stdout).toContain('not read: broken: run.json is not valid JSON');
  });

  it('says where runs are written when the folder is missing', async () => {
    const { code, stderr } = await plexus(['runs', join(folder, 'nowhere')]);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot list the runs folder');
  });
});

describe('the plexus view command', () => {
  const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

  it('says where it listens and that only this machine can open it; a taken port is bad input', async () => {
    const server = spawn(process.execPath, [bin, 'view', root, '--port', '0', '--no-open']);
    try {
      let printed = '';
      server.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
      });
      const deadline = Date.now() + 60_000;
      while (!/Ctrl-C stops it/.test(printed) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(printed).toContain('bound to 127.0.0.1: only this machine can open it');
      const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(printed)!;
      expect((await fetch(url[0])).status).toBe(200);
      const second = spawnSync(
        process.execPath,
        [bin, 'view', root, '--port', url[1]!, '--no-open'],
        {
          encoding: 'utf8',
        },
      );
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`port ${url[1]} is in use; choose another with --port N`);
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      server.kill('SIGKILL');
    }
    const missing = spawnSync(
      process.execPath,
      [bin, 'view', join(folder, 'nowhere'), '--no-open'],
      {
        encoding: 'utf8',
      },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no runs folder here');
  });
});

describe('plexus view of a run whose lines keep no item text (written before they did)', () => {
  it('reads the texts from the dataset by id, and says so when the dataset is gone', async () => {
    const old = join(root, 'old-style');
    cpSync(join(root, 'older'), old, { recursive: true });
    const lines = readFileSync(join(old, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
    const stripped = lines.map((text) => {
      const {
        text: _text,
        text_length: _length,
        ...line
      } = JSON.parse(text) as Record<string, unknown>;
      return JSON.stringify(line);
    });
    expect(stripped.join('\n')).not.toContain('"text"');
    writeFileSync(join(old, 'results.jsonl'), `${stripped.join('\n')}\n`);
    const page = await (await fetch(new URL('/run/old-style?q=number%2017', viewer.url))).text();
    expect(page).toContain(
      'results 1–1 of 1 matching "<bdi>number 17</bdi>" in item ids, texts and labels (of 30)',
    );
    expect(page).toContain('<td class="text">number 17</td>');
    const item = await (await fetch(new URL('/run/old-style/item/n17', viewer.url))).text();
    expect(item).toContain('<pre class="item-text" id="item-text">number 17</pre>');
    // The dataset moved away: the pages say why there is no text.
    const info = readJson<RunInfo>(join(old, 'run.json'));
    writeFileSync(
      join(old, 'run.json'),
      JSON.stringify({
        ...info,
        started_at: '2026-03-01T09:00:00.000Z',
        data: { path: join(folder, 'gone.csv') },
      }),
    );
    const gone = await (await fetch(new URL('/run/old-style', viewer.url))).text();
    expect(gone).toContain(`the dataset ${join(folder, 'gone.csv')} is not there any more`);
  });
});

describe('plexus view of a run that is going', () => {
  it('shows the results written so far, picks up appended ones, and then reads as interrupted', async () => {
    const live = join(root, 'live');
    cpSync(join(root, 'older'), live, { recursive: true });
    const info = readJson<RunInfo>(join(live, 'run.json'));
    writeFileSync(
      join(live, 'run.json'),
      JSON.stringify({ ...info, status: 'running', ended_at: null, duration_s: null }),
    );
    const lines = readFileSync(join(live, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(live, 'results.jsonl'), `${lines.slice(0, 10).join('\n')}\n`);
    const lock = RunLock.acquire(live, 'evaluate');
    try {
      const first = await (await fetch(new URL('/run/live', viewer.url))).text();
      expect(first).toContain('This run is going');
      expect(first).toContain('<meta http-equiv="refresh" content="5">');
      expect(first).toContain('live: computed from the 10 results written so far');
      expect(first).toContain('results 1–10 of 10 matching (of 10)');
      // A line half written is not a result until its newline arrives.
      appendFileSync(
        join(live, 'results.jsonl'),
        `${lines.slice(10, 25).join('\n')}\n${lines[25]!.slice(0, 20)}`,
      );
      const second = await (await fetch(new URL('/run/live', viewer.url))).text();
      expect(second).toContain('live: computed from the 25 results written so far');
      appendFileSync(join(live, 'results.jsonl'), `${lines[25]!.slice(20)}\n`);
      const third = await (await fetch(new URL('/run/live?outcome=incorrect', viewer.url))).text();
      // By hand: of n0..n25, wrong on n0, n10, n20.
      expect(third).toContain('results 1–3 of 3 matching (of 26)');
    } finally {
      lock.release();
    }
    const after = await (await fetch(new URL('/run/live', viewer.url))).text();
    expect(after).toContain('status: <b class="status-interrupted">interrupted</b>');
    expect(after).not.toContain('http-equiv="refresh"');
    // Its metrics.json (copied from a finished run) is of an earlier end: not shown.
    expect(after).toContain('live: computed from the 26 results written so far');
  });
});
