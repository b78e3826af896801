import { cacheKey, type ResultCache } from '../cache/cache.js';
import { stopsRun } from '../common/errors.js';
import {
  applyProcessors,
  applyProcessorsAsync,
  hasAsyncProcessor,
} from '../processors/processors.js';
import { type LineStorageOptions, storedLine } from '../run/line-storage.js';
import { type ResultLine, toResultLine } from '../run/result-line.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { ScoreItemV1, ScoreOutputV1 } from '../spec/score-spec.js';
import { hasName, nameRecordOf, nameValue } from '../text/name-records.js';
import { skipReason } from './conditions.js';
import type { EngineItem, EngineResult } from './engine-result.js';
import { checkOutput, errorOutput } from './output-check.js';

export type { EngineItem, EngineResult } from './engine-result.js';

export interface EngineOptions<Item extends EngineItem> {
  /** Scores in dependency order (as `loadScorecard` returns them), each created. */
  scores: readonly LoadedScore[];
  /** Streamed (async) or in memory. */
  items: AsyncIterable<Item> | Iterable<Item>;
  scorecard: string;
  /** Abandons everything at once: calls in flight are cancelled, their items left unscored. */
  signal?: AbortSignal;
  /** Stops starting work; calls in flight finish and their results come out (a first Ctrl-C). */
  drain?: AbortSignal;
  /**
   * Items in flight at most; default 256, or the largest `collects` of the scores (a batch
   * API's). Memory stays bounded by it.
   */
  window?: number;
  /** `doScore` calls in flight per score at most; default 4. */
  concurrency?: number;
  cache?: ResultCache;
  /** The run folder, passed to scores in their context (see `ScoreContextV1.runDir`). */
  runDir?: string;
  /** Outputs already stored for an item (resume): those scores are not run again. */
  prior?: (item: Item) => Readonly<Record<string, ScoreOutputV1>> | undefined;
}

interface ItemState<Item> {
  item: Item;
  results: Record<string, ScoreOutputV1>;
  started: Set<string>;
  remaining: number;
}

interface Work<Item> {
  state: ItemState<Item>;
  text: string;
}

interface ScoreQueue<Item> {
  entry: LoadedScore;
  waiting: Work<Item>[];
  running: number;
  scheduled: boolean;
}

// Over 80 lines: one closure holds a run's queues, counters and abort state, shared by its scheduler, runBatch and yield loop.
/**
 * Scores a stream of items: per item, scores in dependency order; per score, micro-batches of the
 * items that are ready. Yields each result as it completes. One failing item or score gives an
 * `error` result for it and the run goes on. On abort, no new work starts and work that was
 * abandoned yields nothing (so a resumed run scores it).
 */
export async function* runEngine<Item extends EngineItem>(
  options: EngineOptions<Item>,
): AsyncGenerator<EngineResult<Item>> {
  const window =
    options.window ?? Math.max(256, ...options.scores.map((entry) => entry.score?.collects ?? 0));
  const concurrency = options.concurrency ?? 4;
  // Aborted by the caller, or by the engine itself when a score's error stops the run: calls in
  // flight in other batches are abandoned too.
  const stop = new AbortController();
  const outer = options.signal;
  const forward = () => stop.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  const signal = stop.signal;
  // Halted: nothing new starts. By the stop above, or by a drain that lets calls finish.
  const halted = () => signal.aborted || options.drain?.aborted === true;
  const queues = new Map<string, ScoreQueue<Item>>(
    options.scores.map((entry) => [
      entry.name,
      { entry, waiting: [], running: 0, scheduled: false },
    ]),
  );
  const output: EngineResult<Item>[] = [];
  let inFlight = 0;
  let activeBatches = 0;
  let exhausted = false;
  let pulling = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  signal.addEventListener('abort', notify, { once: true });
  options.drain?.addEventListener('abort', notify, { once: true });

  const complete = (
    state: ItemState<Item>,
    score: string,
    result: ScoreOutputV1,
    latencyMs: number,
    cached: boolean,
  ) => {
    state.results[score] = result;
    state.remaining -= 1;
    output.push({ item: state.item, score, output: result, latencyMs, cached });
    if (state.remaining === 0) inFlight -= 1;
    else advance(state);
    notify();
  };

  const advance = (state: ItemState<Item>) => {
    if (halted()) return;
    for (const entry of options.scores) {
      if (state.started.has(entry.name)) continue;
      if (!entry.dependsOn.every((dependency) => hasName(state.results, dependency.score)))
        continue;
      state.started.add(entry.name);
      if (entry.disabled) {
        complete(state, entry.name, { value: null, status: 'disabled' }, 0, false);
        continue;
      }
      const reason = skipReason(entry.dependsOn, state.results);
      if (reason !== undefined) {
        complete(
          state,
          entry.name,
          { value: null, status: 'skipped', explanation: reason },
          0,
          false,
        );
        continue;
      }
      if (hasAsyncProcessor(entry.processors)) {
        // A semantic processor runs a model: the item joins the queue once its text is ready.
        const queue = queues.get(entry.name)!;
        applyProcessorsAsync(state.item.text, entry.processors).then(
          (text) => {
            queue.waiting.push({ state, text });
            schedule(queue);
          },
          (error: unknown) =>
            complete(state, entry.name, errorOutput(error, 'processor_failed'), 0, false),
        );
        continue;
      }
      let text: string;
      try {
        text = applyProcessors(state.item.text, entry.processors);
      } catch (error) {
        complete(state, entry.name, errorOutput(error, 'processor_failed'), 0, false);
        continue;
      }
      const queue = queues.get(entry.name)!;
      queue.waiting.push({ state, text });
      schedule(queue);
    }
  };

  const schedule = (queue: ScoreQueue<Item>) => {
    const batchSize = queue.entry.score?.maxBatchSize ?? 1;
    if (queue.waiting.length >= batchSize) dispatch(queue);
    if (queue.waiting.length > 0 && !queue.scheduled) {
      queue.scheduled = true;
      // Items that become ready in the same turn share a batch.
      setImmediate(() => {
        queue.scheduled = false;
        dispatch(queue);
      });
    }
  };

  const dispatch = (queue: ScoreQueue<Item>) => {
    const batchSize = Math.max(1, queue.entry.score?.maxBatchSize ?? 1);
    // A score that collects items (a batch API) answers none before it has many: no bound.
    const limit = queue.entry.score?.collects ? Number.POSITIVE_INFINITY : concurrency;
    while (queue.running < limit && queue.waiting.length > 0 && !halted()) {
      const batch = queue.waiting.splice(0, batchSize);
      queue.running += 1;
      activeBatches += 1;
      runBatch(queue.entry, batch)
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          queue.running -= 1;
          activeBatches -= 1;
          schedule(queue);
          notify();
        });
    }
  };

  // Over 80 lines: one micro-batch from call to cache to checked results, sharing the run's counters above.
  const runBatch = async (entry: LoadedScore, batch: Work<Item>[]) => {
    const score = entry.score;
    if (!score) throw new Error(`score "${entry.name}" was not created`);
    const useCache = options.cache && score.cacheable !== false;
    const keys = batch.map((work) =>
      useCache
        ? cacheKey({
            fingerprint: entry.fingerprint,
            text: work.text,
            metadata: work.state.item.metadata,
            upstream: nameRecordOf(
              entry.dependsOn.map((dependency) => [
                dependency.score,
                nameValue(work.state.results, dependency.score)?.value ?? null,
              ]),
            ),
          })
        : '',
    );
    let pending = batch.map((work, index) => ({ work, key: keys[index]! }));
    if (useCache) {
      const cache = options.cache!;
      const hits = cache.getNow
        ? pending.map(({ key }) => cache.getNow!(key))
        : await Promise.all(pending.map(({ key }) => cache.get(key)));
      if (signal.aborted) return;
      const misses: typeof pending = [];
      for (const [index, hit] of hits.entries()) {
        const candidate = pending[index]!;
        if (hit) complete(candidate.work.state, entry.name, hit, 0, true);
        else misses.push(candidate);
      }
      pending = misses;
    }
    if (pending.length === 0) return;
    const items: ScoreItemV1[] = pending.map(({ work }) => ({
      id: work.state.item.id,
      text: work.text,
      metadata: work.state.item.metadata,
      results: work.state.results,
    }));
    const started = performance.now();
    const writes: Promise<void>[] = [];
    const done = new Set<number>();
    // Stores one output: checked, cached when ok, completed for its item.
    const finish = (index: number, raw: ScoreOutputV1 | undefined) => {
      if (done.has(index) || index < 0 || index >= pending.length) return;
      const { work, key } = pending[index]!;
      if (signal.aborted && raw?.status === 'error') return; // abandoned, not failed
      // Not started because the run is stopping: left unscored, for a resume.
      if (raw?.status === 'error' && raw.error?.code === 'not_started' && halted()) return;
      done.add(index);
      const checked = checkOutput(raw, entry.labels, entry.name);
      if (useCache && checked.status === 'ok')
        writes.push(options.cache!.set(key, checked).catch(() => {}));
      complete(work.state, entry.name, checked, performance.now() - started, false);
    };
    let outputs: ScoreOutputV1[];
    try {
      outputs = await score.doScore({
        items,
        signal,
        context: {
          scorecard: options.scorecard,
          ...(options.runDir === undefined ? {} : { runDir: options.runDir }),
          ...(options.drain === undefined ? {} : { drain: options.drain }),
        },
        onOutput: (index, output) => {
          if (!signal.aborted) finish(index, output);
        },
      });
      if (!Array.isArray(outputs) || outputs.length !== items.length) {
        throw new Error(
          `score "${entry.name}" returned ${Array.isArray(outputs) ? outputs.length : 'no'} outputs for ${items.length} items`,
        );
      }
    } catch (error) {
      if (signal.aborted) return;
      if (stopsRun(error)) {
        // Every further call would fail alike: stop; these items stay unscored (resumable).
        failure ??= error;
        stop.abort(error);
        return;
      }
      outputs = items.map(() => errorOutput(error));
    }
    for (const [index, raw] of outputs.entries()) finish(index, raw);
    await Promise.all(writes);
  };

  const source = options.items;
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (async function* () {
          yield* source;
        })();
  const pull = async () => {
    while (!exhausted && !halted() && inFlight < window && output.length < window) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      // Keyed by score names, which may be `toString` or `__proto__`: no prototype.
      const prior = options.prior?.(next.value);
      const results = nameRecordOf<ScoreOutputV1>(prior ? Object.entries(prior) : []);
      const state: ItemState<Item> = {
        item: next.value,
        results,
        started: new Set(Object.keys(results)),
        remaining: options.scores.filter((entry) => !hasName(results, entry.name)).length,
      };
      if (state.remaining === 0) continue;
      inFlight += 1;
      advance(state);
    }
  };

  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      if (!pulling && !exhausted && !halted() && inFlight < window && output.length < window) {
        pulling = true;
        pull()
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => {
            pulling = false;
            notify();
          });
      }
      if (output.length > 0) {
        yield output.shift()!;
        continue;
      }
      const finished = exhausted && inFlight === 0;
      const stopped = halted() && activeBatches === 0;
      if (!pulling && (finished || stopped)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal.removeEventListener('abort', notify);
    options.drain?.removeEventListener('abort', notify);
    outer?.removeEventListener('abort', forward);
    if (!exhausted) await iterator.return?.();
  }
}

/**
 * The engine's results as `results.jsonl` lines: the gold label from the item's `labels`, compared
 * with each score's label normalisation; the item's text and the traces' prompts as `storage` says.
 */
export async function* resultLines<
  Item extends EngineItem & { labels?: Readonly<Record<string, string>> },
>(options: EngineOptions<Item> & { storage?: LineStorageOptions }): AsyncGenerator<ResultLine> {
  const normalizations = new Map(options.scores.map((entry) => [entry.name, entry.normalization]));
  const storage = options.storage ?? {};
  // An item's results share its object: the first one stores the text (weakly held: bounded).
  const seen = new WeakSet<object>();
  for await (const result of runEngine(options)) {
    const first = !seen.has(result.item);
    seen.add(result.item);
    yield storedLine(
      toResultLine(
        result,
        nameValue(result.item.labels, result.score),
        normalizations.get(result.score),
      ),
      { text: result.item.text, first },
      storage,
    );
  }
}
