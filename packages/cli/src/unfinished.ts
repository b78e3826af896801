import { writeSync } from 'node:fs';

/**
 * While a command without a run folder (`predict`) runs score packages: an exit before it finished
 * (a package's `process.exit(0)`, or a call that never settles, so Node ends once nothing else is
 * pending) is said on stderr and is never exit 0, which a script would take for every line printed.
 * A reader that closed the pipe (`| head`) is not such an exit. Returns `dispose`, once finished.
 */
export function watchUnfinished(command: string): () => void {
  let loopEmptied = false;
  let pipeClosed = false;
  const beforeExit = () => {
    loopEmptied = true;
  };
  // Before bin.ts's listener, which exits on EPIPE.
  const stdoutError = (error: NodeJS.ErrnoException) => {
    pipeClosed ||= error.code === 'EPIPE';
  };
  const exit = (code: number) => {
    if (pipeClosed) return;
    const why = loopEmptied
      ? "a score's call never settled (its promise neither resolved nor rejected)"
      : `something in the process (a score package?) called process.exit(${code})`;
    try {
      writeSync(
        2,
        `plexus ${command} ended before it finished: ${why}; what it printed is not all of it\n`,
      );
    } catch {
      // stderr closed
    }
    if (code === 0) process.exitCode = 1;
  };
  process.on('beforeExit', beforeExit);
  process.on('exit', exit);
  process.stdout.prependListener('error', stdoutError);
  return () => {
    process.off('beforeExit', beforeExit);
    process.off('exit', exit);
    process.stdout.off('error', stdoutError);
  };
}
