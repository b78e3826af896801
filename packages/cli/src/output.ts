import { redact, terminalSafe } from '@plexus/core';

/** Where the CLI writes; injectable so tests can capture it. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  isTty: boolean;
}

/**
 * What the CLI prints, made safe: secrets redacted, and control characters that came with data
 * (ids, column names, labels, messages) escaped so they cannot act on the terminal. The one control
 * kept is a carriage return that starts a write: the progress line redrawing itself.
 */
export function printable(text: string): string {
  const redacted = redact(text);
  return redacted.startsWith('\r')
    ? `\r${terminalSafe(redacted.slice(1))}`
    : terminalSafe(redacted);
}

/** The process's streams; every write goes through `printable` (no key, no escape code). */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(printable(text)),
  stderr: (text) => process.stderr.write(printable(text)),
  isTty: Boolean(process.stderr.isTTY),
};
