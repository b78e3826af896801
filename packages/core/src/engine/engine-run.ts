// The state of one engine run: its item source, per-score queues, results ready to be taken, and
// how it stops. `runEngine` and `runEngineBatches` (engine.ts) drive it.
import type { ResultCache } from '../cache/cache.js';
import {
  applyProcessors,
  applyProcessorsAsync,
  hasAsyncProcessor,
} from '../processors/processors.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { ScoreOutputV1 } from '../spec/score-spec.js';
import { hasName, nameRecord, nameRecordOf } from '../text/name-records.js';
import { skipReason } from './conditions.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineItem, EngineResult } from './engine-result.js';
import { errorOutput } from './output-check.js';
import type { BatchRun, ItemState } from './score-batch.js';
import { ScoreQueues } from './score-queues.js';

/** Items in flight at most, by default: 256, or the largest `collects` (a batch API's). */
function defaultWindow(scores: readonly LoadedScore[]): number {
  return Math.max(256, ...scores.map((entry) => entry.score?.collects ?? 0));
}

const noItems: readonly never[] = [];
/** Items of an array source given at a time (one promise turn each). */
const arrayLength = 1024;

/** A source in memory: an array in slices; another iterable lazily, item by item, as before. */
async function* inArrays<Item>(source: Iterable<Item>): AsyncGenerator<Item | readonly Item[]> {
  if (!Array.isArray(source)) {
    yield* source;
    return;
  }
  const items: readonly Item[] = source;
  for (let start = 0; start < items.length; start += arrayLength)
    yield items.slice(start, start + arrayLength);
}

/** Whether every score `entry` depends on has a result for the item. */
function dependenciesAnswered(entry: LoadedScore, results: Record<string, ScoreOutputV1>): boolean {
  for (const dependency of entry.dependsOn) if (!hasName(results, dependency.score)) return false;
  return true;
}

function isItemArray<Item>(value: Item | readonly Item[]): value is readonly Item[] {
  return Array.isArray(value);
}

export class EngineRun<Item extends EngineItem> implements BatchRun<Item> {
  readonly scorecard: string;
  readonly runDir: string | undefined;
  readonly drain: AbortSignal | undefined;
  readonly cache: ResultCache | undefined;
  readonly signal: AbortSignal;
  private readonly window: number;
  /** Aborted by the caller's signal, or by a score's error that stops the run. */
  private readonly stop = new AbortController();
  private readonly queues: ScoreQueues<Item>;
  private readonly iterator: AsyncIterator<Item | readonly Item[]>;
  /** The array the source gave last (see `EngineOptions.items`), taken from `batchIndex` on. */
  private batch: readonly Item[] = noItems;
  private batchIndex = 0;
  /** Results completed and not yet taken. */
  private ready: EngineResult<Item>[] = [];
  /** Items admitted and not yet complete. */
  private inFlight = 0;
  private exhausted = false;
  private pulling = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private readonly notify = () => {
    const resolve = this.wake;
    this.wake = undefined;
    resolve?.();
  };
  private readonly forward = () => this.stop.abort(this.options.signal?.reason);

  constructor(private readonly options: EngineOptions<Item>) {
    this.scorecard = options.scorecard;
    this.runDir = options.runDir;
    this.drain = options.drain;
    this.cache = options.cache;
    this.window = options.window ?? defaultWindow(options.scores);
    this.signal = this.stop.signal;
    this.queues = new ScoreQueues(this, options.scores, options.concurrency ?? 4, {
      failed: (error) => {
        this.failure ??= error;
      },
      ended: this.notify,
    });
    const source = options.items;
    this.iterator =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : inArrays(source);
    const outer = options.signal;
    if (outer?.aborted) this.forward();
    else outer?.addEventListener('abort', this.forward, { once: true });
    this.signal.addEventListener('abort', this.notify, { once: true });
    options.drain?.addEventListener('abort', this.notify, { once: true });
  }

  halted(): boolean {
    return this.signal.aborted || this.options.drain?.aborted === true;
  }

  stopRun(error: unknown): void {
    this.failure ??= error;
    this.stop.abort(error);
  }

  /** The results one at a time, as they complete. */
  results(): AsyncGenerator<EngineResult<Item>> {
    return this.drive(() => this.ready.shift()!);
  }

  /** The results as they complete, in groups: every result ready when the consumer asks. */
  batches(): AsyncGenerator<EngineResult<Item>[]> {
    return this.drive(() => {
      const ready = this.ready;
      this.ready = [];
      return ready;
    });
  }

  /** Pulls items, and gives `take()` of the ready results whenever there are some, until the end. */
  private async *drive<Taken>(take: () => Taken): AsyncGenerator<Taken> {
    try {
      for (;;) {
        if (this.failure !== undefined) {
          // What completed before the failure is given out first: those lines are kept.
          if (this.ready.length > 0) {
            yield take();
            continue;
          }
          throw this.failure;
        }
        this.startPulling();
        if (this.ready.length > 0) {
          yield take();
          continue;
        }
        if (this.ended()) break;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      await this.close();
    }
  }

  /** Nothing more will come: every item read and complete, or halted with no batch in flight. */
  private ended(): boolean {
    if (this.pulling) return false;
    const finished = this.exhausted && this.inFlight === 0;
    return finished || (this.halted() && this.queues.active === 0);
  }

  private async close(): Promise<void> {
    this.signal.removeEventListener('abort', this.notify);
    this.options.drain?.removeEventListener('abort', this.notify);
    this.options.signal?.removeEventListener('abort', this.forward);
    if (!this.exhausted) await this.iterator.return?.();
  }

  /** Whether the window has room for another item. */
  private hasRoom(): boolean {
    return (
      !this.exhausted &&
      !this.halted() &&
      this.inFlight < this.window &&
      this.ready.length < this.window
    );
  }

  private startPulling(): void {
    if (this.pulling || !this.hasRoom()) return;
    this.pulling = true;
    this.pull()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.pulling = false;
        this.notify();
      });
  }

  /** Reads items while the window has room; each starts the scores it is ready for. */
  private async pull(): Promise<void> {
    while (this.hasRoom()) {
      let item: Item;
      if (this.batchIndex < this.batch.length) {
        item = this.batch[this.batchIndex]!;
        this.batchIndex += 1;
        // The array is let go once taken: its items are not kept alive by it until the next one.
        if (this.batchIndex === this.batch.length) this.batch = noItems;
      } else {
        const next = await this.iterator.next();
        if (next.done) {
          this.exhausted = true;
          return;
        }
        if (isItemArray(next.value)) {
          this.batch = next.value;
          this.batchIndex = 0;
          continue;
        }
        item = next.value;
      }
      this.options.onItem?.(item);
      const state = this.admit(item);
      if (state.remaining === 0) continue;
      this.inFlight += 1;
      this.advance(state);
    }
  }

  /** A new item's state, with the outputs a resumed run already has for it. */
  private admit(item: Item): ItemState<Item> {
    const prior = this.options.prior?.(item);
    // Keyed by score names, which may be `toString` or `__proto__`: no prototype.
    if (!prior) {
      const { length } = this.options.scores;
      return { item, results: nameRecord(), started: [], remaining: length, reported: false };
    }
    const results = nameRecordOf<ScoreOutputV1>(Object.entries(prior));
    const started = this.options.scores.map((entry) => hasName(results, entry.name));
    return {
      item,
      results,
      started,
      remaining: started.filter((stored) => !stored).length,
      reported: false,
    };
  }

  complete(
    state: ItemState<Item>,
    score: string,
    output: ScoreOutputV1,
    latencyMs: number,
    cached: boolean,
  ): void {
    state.results[score] = output;
    state.remaining -= 1;
    const first = !state.reported;
    state.reported = true;
    this.ready.push({ item: state.item, score, output, latencyMs, cached, first });
    if (state.remaining === 0) this.inFlight -= 1;
    else this.advance(state);
    this.notify();
  }

  /** Starts every score of the item whose dependencies have answered. */
  private advance(state: ItemState<Item>): void {
    if (this.halted()) return;
    const { scores } = this.options;
    for (let index = 0; index < scores.length; index += 1) {
      if (state.started[index] === true) continue;
      const entry = scores[index]!;
      if (!dependenciesAnswered(entry, state.results)) continue;
      state.started[index] = true;
      this.startScore(state, entry);
    }
  }

  /** Disabled, skipped by its condition, or queued once its processors have run. */
  private startScore(state: ItemState<Item>, entry: LoadedScore): void {
    if (entry.disabled) {
      this.complete(state, entry.name, { value: null, status: 'disabled' }, 0, false);
      return;
    }
    const reason = skipReason(entry.dependsOn, state.results);
    if (reason !== undefined) {
      const skipped: ScoreOutputV1 = { value: null, status: 'skipped', explanation: reason };
      this.complete(state, entry.name, skipped, 0, false);
      return;
    }
    const failed = (error: unknown) =>
      this.complete(state, entry.name, errorOutput(error, 'processor_failed'), 0, false);
    if (hasAsyncProcessor(entry.processors)) {
      // A semantic processor runs a model: the item joins the queue once its text is ready.
      applyProcessorsAsync(state.item.text, entry.processors).then(
        (text) => this.queues.enqueue(entry, { state, text }),
        failed,
      );
      return;
    }
    let text: string;
    try {
      text = applyProcessors(state.item.text, entry.processors);
    } catch (error) {
      failed(error);
      return;
    }
    this.queues.enqueue(entry, { state, text });
  }
}
