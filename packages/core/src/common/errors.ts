const marker = Symbol.for('plexus.error');

/** A problem in one place of a file: `file:line:col: path: message`. */
export interface ConfigProblem {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. `scores[1].phrases`. */
  path: string;
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined);
  const place = where.length > 0 ? `${where.join(':')}: ` : '';
  const path = problem.path ? `${problem.path}: ` : '';
  return `${place}${path}${elideLongRuns(problem.message)}`;
}

/** Shortens runs of over 300 characters without a space (a pasted megabyte) to their ends. */
export function elideLongRuns(text: string): string {
  return text.replace(
    /\S{301,}/g,
    (run) => `${run.slice(0, 120)}…[${run.length - 180} characters]…${run.slice(-60)}`,
  );
}

/** Base of every error Plexus throws. */
export class PlexusError extends Error {
  readonly [marker] = true;
  /** Process exit code the CLI uses for this error: 1 run failed, 2 bad input. */
  readonly exitCode: number = 1;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  static isInstance(error: unknown): error is PlexusError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** A scorecard, setting or argument is wrong; lists every problem found. */
export class InvalidConfigError extends PlexusError {
  override readonly exitCode = 2;
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[], options?: { cause?: unknown }) {
    const lines = problems.map(formatProblem);
    super(
      problems.length === 1 ? lines[0]! : `${problems.length} problems:\n${lines.join('\n')}`,
      options,
    );
    this.problems = problems;
  }
}

/** A dataset cannot be read at all (missing file, missing column, unknown format). */
export class DatasetError extends PlexusError {
  override readonly exitCode = 2;
}

/** A package a scorecard needs is not installed. */
export class MissingDependencyError extends PlexusError {
  override readonly exitCode = 2;
  readonly packageName: string;

  constructor(packageName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.packageName = packageName;
  }
}

/** A score's call failed; `isRetryable` says whether trying again may help. */
export class ScoreCallError extends PlexusError {
  readonly isRetryable: boolean;
  readonly code: string | undefined;
  /**
   * True when every further call would fail the same way (a rejected API key): the engine stops
   * the run instead of recording the error for each item; the run can be resumed once fixed.
   */
  readonly stopsRun: boolean;

  constructor(
    message: string,
    options: { retryable?: boolean; code?: string; cause?: unknown; stopsRun?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.isRetryable = options.retryable ?? false;
    this.code = options.code;
    this.stopsRun = options.stopsRun ?? false;
  }
}

/** Whether an error thrown by a score must stop the run (see `ScoreCallError.stopsRun`). */
export function stopsRun(error: unknown): boolean {
  return PlexusError.isInstance(error) && (error as { stopsRun?: unknown }).stopsRun === true;
}

/** The run folder or cache cannot be written or read. */
export class RunStoreError extends PlexusError {}

/** A tracking server (MLflow) refused or failed a request; the local run folder is unaffected. */
export class TrackerError extends PlexusError {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.status = options?.status;
  }
}

/** Returns a message for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
