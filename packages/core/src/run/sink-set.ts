import { InvalidConfigError } from '../common/errors.js';
import type { RunSinkV1, RunStartV1, RunSummaryV1 } from '../spec/run-sink-spec.js';
import type { ResultLine } from './result-line.js';

/**
 * The sinks of one run, called in the order they were given. A sink's promise is awaited before
 * the next sink and the next line (back-pressure); synchronous sinks cost no await, which keeps a
 * rules run of 600,000 lines at the speed of its slowest sink rather than of the event loop.
 */
export class SinkSet {
  private readonly adding: RunSinkV1[];
  private readonly restoring: RunSinkV1[];

  constructor(private readonly sinks: readonly RunSinkV1[]) {
    this.adding = [...sinks];
    this.restoring = sinks.filter((sink) => sink.restore);
  }

  async begin(run: RunStartV1): Promise<void> {
    for (const sink of this.sinks) await sink.begin?.(run);
  }

  restore(line: ResultLine): void {
    for (const sink of this.restoring) sink.restore!(line);
  }

  /** Gives the line to every sink; a promise only when a sink returned one. */
  add(line: ResultLine): undefined | Promise<void> {
    const sinks = this.adding;
    for (let index = 0; index < sinks.length; index += 1) {
      const pending = sinks[index]!.add(line);
      if (pending) return this.addFrom(line, index + 1, pending);
    }
    return undefined;
  }

  private async addFrom(line: ResultLine, next: number, pending: Promise<void>): Promise<void> {
    await pending;
    const sinks = this.adding;
    for (let index = next; index < sinks.length; index += 1) await sinks[index]!.add(line);
  }

  /**
   * Every sink finishes, even after one threw (a tracker still ends its run); then the first
   * error is thrown.
   */
  async finish(summary: RunSummaryV1): Promise<void> {
    const failures: unknown[] = [];
    for (const sink of this.sinks) {
      try {
        await sink.finish?.(summary);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}

/** The sinks a user gave: one of another spec version, or not a sink, is refused before the run starts. */
export function checkSinks(sinks: readonly RunSinkV1[]): void {
  sinks.forEach(checkSink);
}

function checkSink(sink: RunSinkV1, index: number): void {
  const candidate = sink as Partial<RunSinkV1> | null;
  if (candidate?.specificationVersion === 'v1' && typeof candidate.add === 'function') return;
  throw new InvalidConfigError([
    {
      path: `sinks[${index}]${typeof candidate?.name === 'string' ? ` (${candidate.name})` : ''}`,
      message: `not a RunSinkV1 (got specificationVersion ${JSON.stringify(candidate?.specificationVersion)}): give an object with specificationVersion 'v1' and add(line)`,
    },
  ]);
}
