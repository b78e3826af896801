import { writeSync } from 'node:fs';
import { errorMessage } from '../common/errors.js';
import { shellWord } from './shell-word.js';

/** A run folder that can be ended synchronously (`RunFolder`). */
export interface OpenRun {
  /** The run folder. */
  readonly dir: string;
  abandon(status: 'failed' | 'interrupted', reason: string): void;
}

const openFolders = new Set<OpenRun>();

/**
 * Marks every run folder still open in this process as ended with `status` and `reason`, writes
 * its buffered lines and `run.json` synchronously and releases its lock: for signal handlers,
 * uncaught errors and the `exit` event, where no await can run.
 */
export function abandonOpenRuns(status: 'failed' | 'interrupted', reason: string): void {
  for (const folder of [...openFolders]) folder.abandon(status, reason);
}

let exitHandlerInstalled = false;
function watchExit(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // A monitor: the error still ends the process as it would have; the run records why. With an
  // `uncaughtException` listener the process may go on (a test runner): the run is left alone.
  process.on('uncaughtExceptionMonitor', (error, origin) => {
    if (process.listenerCount('uncaughtException') > 0) return;
    abandonOpenRuns(
      'failed',
      `${origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught error'}: ${errorMessage(error)}`,
    );
  });
  // The event loop emptied while a run was open: a score's call that never settles (nothing is
  // left to wait for; Node then ends, with code 13 or 0).
  let loopEmptied = false;
  process.on('beforeExit', () => {
    loopEmptied ||= openFolders.size > 0;
  });
  process.on('exit', (code) => {
    const interrupted = code === 130 || code === 143 || code === 129;
    const folders = [...openFolders];
    const why = loopEmptied
      ? "a score's call never settled (its promise neither resolved nor rejected) and nothing else was left to wait for"
      : `something in the process (a score package?) called process.exit(${code})`;
    // An error of the process's own with a code of its own (a full disk) was said by the caller.
    const unannounced = !interrupted && (code === 0 || !loopEmptied);
    abandonOpenRuns(
      interrupted ? 'interrupted' : 'failed',
      `the process exited (code ${code}) before the run ended${unannounced ? `: ${why}` : ''}`,
    );
    if (unannounced && folders.length > 0) sayExitedEarly(code, why, folders);
  });
}

/**
 * An exit nobody announced while runs were open (a score package's `process.exit(0)`, a score's
 * call that never settled): said on stderr with the resume, and never exit 0, which a script would
 * take for a finished run.
 */
function sayExitedEarly(code: number, why: string, folders: readonly OpenRun[]): void {
  const resume = folders.map((folder) => `--resume ${shellWord(folder.dir)}`).join(', ');
  try {
    writeSync(
      2,
      `The process ended before the run did: ${why}. Results so far are kept; continue with ${resume}\n`,
    );
  } catch {
    // stderr closed: run.json still says why
  }
  if (code === 0) process.exitCode = 1;
}

/** Folders open in this process: an exit that did not close them marks them (see `abandonOpenRuns`). */
export const openRuns = {
  add(folder: OpenRun): void {
    openFolders.add(folder);
    watchExit();
  },
  delete(folder: OpenRun): void {
    openFolders.delete(folder);
  },
};
