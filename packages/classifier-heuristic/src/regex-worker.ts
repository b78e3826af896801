import { Worker } from 'node:worker_threads';

/** One match of a pattern in one segment. */
export interface WorkerMatch {
  pattern: number;
  segment: number;
  start: number;
  end: number;
  text: string;
  groups: Record<string, string | undefined>;
}

export interface CompiledPattern {
  source: string;
  flags: string;
}

/**
 * Runs in the worker thread: applies the patterns to each item's segments. Self-contained (it is
 * sent to the worker as source text), so it survives bundling.
 */
function workerMain(): void {
  // Not `require`/`import`: bundlers rewrite those, and this function runs from its source text.
  const { parentPort, workerData } = process.getBuiltinModule(
    'node:worker_threads',
  ) as typeof import('node:worker_threads');
  const { patterns } = workerData as { patterns: { source: string; flags: string }[] };
  const compiled = patterns.map((pattern) => new RegExp(pattern.source, pattern.flags));
  parentPort!.on('message', (items: string[][]) => {
    // The first match of each pattern per item, scanning segments in order.
    const results = items.map((segments) => {
      const matches: unknown[] = [];
      compiled.forEach((regex, pattern) => {
        for (const [segment, text] of segments.entries()) {
          const match = regex.exec(text);
          if (!match) continue;
          const start = match.index;
          matches.push({
            pattern,
            segment,
            start,
            end: start + match[0].length,
            text: match[0],
            groups: { ...match.groups },
          });
          break;
        }
      });
      return matches;
    });
    parentPort!.postMessage(results);
  });
}

const workerSource = `(${workerMain.toString()})()`;

/** Thrown for an item whose patterns ran past the time limit. */
export class RegexTimeoutError extends Error {}

/**
 * Applies JavaScript regular expressions in a worker thread, so a pattern that backtracks
 * catastrophically is stopped after a time limit instead of hanging the process. A batch that runs
 * out of time is retried item by item in a fresh worker; only the items that time out alone fail.
 */
export class RegexRunner {
  private worker: Promise<Worker> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly patterns: readonly CompiledPattern[],
    private readonly options: { itemTimeoutMs: number },
  ) {}

  /** Matches per item, or a `RegexTimeoutError` for items that ran out of time. */
  run(items: readonly (readonly string[])[]): Promise<(WorkerMatch[] | RegexTimeoutError)[]> {
    // One batch at a time per worker: results come back in order.
    const next = this.queue.then(() => this.runBatch(items));
    this.queue = next.catch(() => {});
    return next;
  }

  private async runBatch(
    items: readonly (readonly string[])[],
  ): Promise<(WorkerMatch[] | RegexTimeoutError)[]> {
    if (items.length === 0) return [];
    const budget = this.options.itemTimeoutMs + 5 * items.length;
    const whole = await this.send(items, budget);
    if (whole) return whole;
    const results: (WorkerMatch[] | RegexTimeoutError)[] = [];
    for (const item of items) {
      const alone = await this.send([item], this.options.itemTimeoutMs);
      results.push(
        alone?.[0] ??
          new RegexTimeoutError(
            `the patterns ran longer than ${this.options.itemTimeoutMs} ms on this item (catastrophic backtracking?); simplify the pattern or raise timeout_ms`,
          ),
      );
    }
    return results;
  }

  /**
   * Sends items to the worker; undefined when it ran out of time (the worker is then replaced).
   * The clock starts once the worker is running: starting a thread on a busy machine is not the
   * pattern's time.
   */
  private async send(
    items: readonly (readonly string[])[],
    timeoutMs: number,
  ): Promise<WorkerMatch[][] | undefined> {
    const worker = await this.ensureWorker();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.worker = undefined;
        void worker.terminate();
        resolve(undefined);
      }, timeoutMs);
      const onMessage = (results: WorkerMatch[][]) => {
        cleanup();
        resolve(results);
      };
      const onError = (error: Error) => {
        cleanup();
        this.worker = undefined;
        reject(error);
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(items);
    });
  }

  private ensureWorker(): Promise<Worker> {
    if (!this.worker) {
      const worker = new Worker(workerSource, {
        eval: true,
        workerData: { patterns: this.patterns },
      });
      // An idle worker must not keep the process alive.
      worker.unref();
      this.worker = new Promise((resolve, reject) => {
        worker.once('online', () => resolve(worker));
        worker.once('error', reject);
      });
    }
    return this.worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await (await worker?.catch(() => undefined))?.terminate();
  }
}
