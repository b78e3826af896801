// Shared by the reliability tests: a project folder whose scorecards find the score packages, a
// CLI run that does not block the test process (the LLM test server answers from it), and a
// reader of results.jsonl that tolerates a line cut by a kill.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
/** This package's folder: score packages are found from the working directory. */
export const here = fileURLToPath(new URL('.', import.meta.url));

export function workDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `plexus-${name}-`));
}

/** A score package `name` in `<project>/node_modules`, `index.js` its source (found from a card there). */
export function writeScorePackage(project: string, name: string, source: string): void {
  const folder = join(project, 'node_modules', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js' }),
  );
  writeFileSync(join(folder, 'index.js'), source);
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Starts `plexus ...args` from this package's folder. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, shell?: string): CliRun {
  const child = shell
    ? spawn('bash', ['-c', `${shell}; exec "$0" "$@"`, process.execPath, cli, ...args], {
        cwd: here,
        env: { ...process.env, ...env },
      })
    : spawn(process.execPath, [cli, ...args], { cwd: here, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** `plexus ...args` to the end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, shell?: string) {
  return startCli(args, env, shell).done;
}

/** The (item, score) pairs in a run folder's results.jsonl; a last line cut by a kill is skipped. */
export function storedResults(dir: string): { item: string; score: string; status: string }[] {
  const path = join(dir, 'results.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((text) => {
      try {
        const line = JSON.parse(text) as { item_id: string; score: string; status: string };
        return [{ item: line.item_id, score: line.score, status: line.status }];
      } catch {
        return [];
      }
    });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A call-back project in `dir`: `items` messages asking for a call, a card of a keywords score and
 * an LLM score (`max_concurrency: 8`) against `serverUrl`. Returns the `evaluate` arguments (plus
 * `extra`) and the environment with the test key.
 */
export function callBackProject(dir: string, name: string, items: number, serverUrl: string) {
  writeFileSync(
    join(dir, 'items.csv'),
    `id,text\n${Array.from({ length: items }, (_, index) => `m${index},msg-${index} please call me back`).join('\n')}\n`,
  );
  writeFileSync(
    join(dir, 'card.yaml'),
    `name: ${name}\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [yes, no], phrases: [call] }\n  - { name: Asks, class: llm/classifier, labels: [yes, no], model: m, base_url: "${serverUrl}", api_key_env: TEST_KEY, max_concurrency: 8, prompt: "Does it ask for a call? {{ text }}" }\n`,
  );
  const args = (extra: string[]) => [
    'evaluate',
    join(dir, 'card.yaml'),
    '--data',
    join(dir, 'items.csv'),
    '--no-cache',
    ...extra,
  ];
  return { args, env: { TEST_KEY: 'test-key' } };
}
