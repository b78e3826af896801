// Shared by the reliability tests: a project folder whose scorecards find the score packages, a
// CLI run that does not block the test process (the LLM test server answers from it), and a
// reader of results.jsonl that tolerates a line cut by a kill.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cli = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
/** This package's folder: score packages are found from the working directory. */
export const here = fileURLToPath(new URL('.', import.meta.url));

export function workDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `plexus-${name}-`));
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
