import { errorMessage } from '../common/errors.js';

/** A run folder that can be ended synchronously (`RunFolder`). */
export interface OpenRun {
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
  process.on('exit', (code) =>
    abandonOpenRuns(
      code === 130 || code === 143 || code === 129 ? 'interrupted' : 'failed',
      `the process exited (code ${code}) before the run ended`,
    ),
  );
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
