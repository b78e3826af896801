import { type ConfigProblem, formatProblem, redact, terminalSafe } from '@plexus/core';

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

/**
 * A problem's message on one line: a line break that came with data (a gold label or a column name
 * from the dataset, quoted in the message) is shown as `\n`, so it cannot print a line of its own
 * (`valid scorecard ...`) that Plexus did not write. A problem is one line by design.
 */
export function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n|\u2028|\u2029/g, (match) => JSON.stringify(match).slice(1, -1));
}

/** The line a command prints for a dataset row it skipped (`data.csv:12: row skipped: why`). */
export function skippedRowLine(file: string, problem: { line: number; message: string }): string {
  return `${file}:${problem.line}: row skipped: ${oneLine(problem.message)}\n`;
}

/** Problems as `InvalidConfigError` words them (`N problems:` then one per line), each on one line. */
export function problemsText(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((problem) =>
    formatProblem({ ...problem, message: oneLine(problem.message) }),
  );
  return lines.length === 1 ? lines[0]! : `${lines.length} problems:\n${lines.join('\n')}`;
}
