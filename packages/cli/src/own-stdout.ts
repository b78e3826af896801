import { type CliIo, printable, processIo } from './output.js';

/**
 * While a command runs score packages, stdout is Plexus's own (`evaluate --json`'s summary,
 * `predict`'s JSON lines): what a package prints there (`console.log`) goes to stderr instead, where
 * it is still seen (it made `--json` output that did not parse). Returns the io to print with and
 * `restore`, which puts stdout back. An io that is not the process's (a test's) is left as it is.
 */
export function ownStdout(io: CliIo): { io: CliIo; restore(): void } {
  if (io !== processIo) return { io, restore() {} };
  const stdout = process.stdout;
  const original = stdout.write;
  const toStderr = ((...args: Parameters<typeof original>) =>
    process.stderr.write(...(args as Parameters<typeof process.stderr.write>))) as typeof original;
  stdout.write = toStderr;
  return {
    io: { ...io, stdout: (text) => original.call(stdout, printable(text)) },
    restore() {
      if (stdout.write === toStderr) stdout.write = original;
    },
  };
}
