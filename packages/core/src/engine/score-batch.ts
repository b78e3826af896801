// One micro-batch of one score: cache lookups, the score's call, checked outputs, cache writes.
import { cacheKey, type ResultCache } from '../cache/cache.js';
import { errorMessage, stopsRun } from '../common/errors.js';
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { ScoreItemV1, ScoreOutputV1 } from '../spec/score-spec.js';
import { nameRecord, nameRecordOf, nameValue } from '../text/name-records.js';
import type { EngineItem } from './engine-result.js';
import { checkOutput, errorOutput, type OutputSource, thrownError } from './output-check.js';
import { isBuiltInPackage, scorePackageOf } from './output-fields.js';

/** An item being scored: its outputs so far and the scores started for it. */
export interface ItemState<Item> {
  item: Item;
  results: Record<string, ScoreOutputV1>;
  /** Per score, by its position in the run's scores: whether it was started (or stored). */
  started: boolean[];
  /** Scores not yet completed for the item. */
  remaining: number;
  /** Whether a result of the item came out in this run. */
  reported: boolean;
}

/** An item waiting for (or in) a batch of one score, with its text after the score's processors. */
export interface Work<Item> {
  state: ItemState<Item>;
  text: string;
  /** Its cache key, once computed (a lookup before the batch: see `cachedOutput`). */
  key?: string;
}

/** What a batch needs from the run it belongs to. */
export interface BatchRun<Item extends EngineItem> {
  readonly scorecard: string;
  readonly runDir: string | undefined;
  readonly drain: AbortSignal | undefined;
  readonly cache: ResultCache | undefined;
  /** The run's own signal: aborted by the caller or by a score's error that stops the run. */
  readonly signal: AbortSignal;
  /** Nothing new starts (aborted or draining). */
  halted(): boolean;
  complete(
    state: ItemState<Item>,
    score: string,
    output: ScoreOutputV1,
    latencyMs: number,
    cached: boolean,
  ): void;
  /** Stops the run for an error every further call would repeat (the items stay unscored). */
  stopRun(error: unknown): void;
}

interface Pending<Item> {
  work: Work<Item>;
  /** Cache key; '' when the batch does not use the cache. */
  key: string;
}

/** The upstream values of a score without dependencies (never written to). */
const noUpstream: Readonly<Record<string, string | null>> = Object.freeze(
  nameRecord<string | null>(),
);

/** The cache key of an item for a score: its fingerprint, text, metadata and upstream values. */
function keyOf<Item extends EngineItem>(entry: LoadedScore, work: Work<Item>): string {
  return cacheKey({
    fingerprint: entry.fingerprint,
    text: work.text,
    metadata: work.state.item.metadata,
    upstream:
      entry.dependsOn.length === 0
        ? noUpstream
        : nameRecordOf(
            entry.dependsOn.map((dependency) => [
              dependency.score,
              nameValue(work.state.results, dependency.score)?.value ?? null,
            ]),
          ),
  });
}

/**
 * The cached output of a work item, looked up without a batch (no promise per hit: a warm run's
 * items complete in the turn they are read); undefined when the score does not use the cache, the
 * cache has no synchronous lookup, or the item is not in it. Remembers the key for the batch.
 */
export function cachedOutput<Item extends EngineItem>(
  run: BatchRun<Item>,
  entry: LoadedScore,
  work: Work<Item>,
): ScoreOutputV1 | undefined {
  const cache = run.cache;
  if (cache?.getNow === undefined || !entry.score || entry.score.cacheable === false) return;
  try {
    work.key = keyOf(entry, work);
    return storedOutput(entry, cache.getNow(work.key));
  } catch {
    // Queued as a miss: its batch computes the key and looks it up again, and fails as before
    // (this may be called where nothing would catch, after an asynchronous processor).
    return undefined;
  }
}

/**
 * A cached output as this score stores one (`ok`, a value among its labels as `checkOutput` leaves
 * it), or undefined: any other entry (cut, edited by hand, written by another version) is a miss and
 * the item is scored again, never a result with an unknown status or a label the score lacks.
 */
function storedOutput(
  entry: LoadedScore,
  hit: ScoreOutputV1 | undefined,
): ScoreOutputV1 | undefined {
  if (typeof hit !== 'object' || hit === null || hit.status !== 'ok') return undefined;
  return checkOutput(hit, entry.labels, entry.name) === hit ? hit : undefined;
}

/**
 * Completes the items the cache holds; resolves with the others, or undefined when the run was
 * aborted meanwhile.
 */
async function takeCached<Item extends EngineItem>(
  run: BatchRun<Item>,
  entry: LoadedScore,
  pending: Pending<Item>[],
): Promise<Pending<Item>[] | undefined> {
  const cache = run.cache!;
  const found = cache.getNow
    ? pending.map(({ key }) => cache.getNow!(key))
    : await Promise.all(pending.map(({ key }) => cache.get(key)));
  if (run.signal.aborted) return undefined;
  const misses: Pending<Item>[] = [];
  for (const [index, entryFound] of found.entries()) {
    const hit = storedOutput(entry, entryFound);
    const candidate = pending[index]!;
    if (hit) run.complete(candidate.work.state, entry.name, hit, 0, true);
    else misses.push(candidate);
  }
  return misses;
}

/**
 * Stores outputs of the batch, each once: checked, cached when ok, completed for its item. An
 * output that is an error because the run was abandoned, or a call not started because the run is
 * stopping, is left out: the item stays unscored, for a resume.
 */
function outputStore<Item extends EngineItem>(
  run: BatchRun<Item>,
  entry: LoadedScore,
  pending: Pending<Item>[],
  useCache: boolean,
  from: OutputSource,
) {
  const started = performance.now();
  const writes: Promise<void>[] = [];
  const done = new Set<number>();
  const finish = (
    index: number,
    raw: ScoreOutputV1 | undefined,
    latencyMs = performance.now() - started,
  ) => {
    if (done.has(index) || index < 0 || index >= pending.length) return;
    const { work, key } = pending[index]!;
    let checked: ScoreOutputV1;
    try {
      if (run.signal.aborted && raw?.status === 'error') return; // abandoned, not failed
      if (raw?.status === 'error' && raw.error?.code === 'not_started' && run.halted()) return;
      checked = checkOutput(raw, entry.labels, entry.name, from);
    } catch (error) {
      // A getter or proxy that throws as its fields are read: the item's error says so.
      checked = errorOutput(
        new Error(
          `score "${entry.name}" (${from.packageName}) returned an output that cannot be read (${errorMessage(thrownError(error, entry.name, from.packageName))}); a fix for ${from.packageName}: return plain objects`,
        ),
        'bad_output',
      );
    }
    done.add(index);
    if (useCache && checked.status === 'ok')
      writes.push(run.cache!.set(key, checked).catch(() => {}));
    run.complete(work.state, entry.name, checked, latencyMs, false);
  };
  /**
   * The outputs `doScore` returned and did not give early: they were made together, so each one's
   * latency is the batch's time shared among them (not the whole batch's time for every item).
   */
  const finishReturned = (outputs: (ScoreOutputV1 | undefined)[]) => {
    const shared = (performance.now() - started) / Math.max(1, outputs.length - done.size);
    for (const [index, raw] of outputs.entries()) finish(index, raw, shared);
  };
  return { finish, finishReturned, writes };
}

/**
 * The score's outputs for the items, in order; each may also come early through `onOutput`. A
 * call that throws gives every item an error output, unless the error stops the run (then
 * undefined, as when the run was aborted).
 */
async function callScore<Item extends EngineItem>(
  run: BatchRun<Item>,
  entry: LoadedScore,
  items: ScoreItemV1[],
  onOutput: (index: number, output: ScoreOutputV1) => void,
): Promise<ScoreOutputV1[] | undefined> {
  try {
    const outputs = await entry.score!.doScore({
      items,
      signal: run.signal,
      context: {
        scorecard: run.scorecard,
        ...(run.runDir === undefined ? {} : { runDir: run.runDir }),
        ...(run.drain === undefined ? {} : { drain: run.drain }),
      },
      onOutput: (index, output) => {
        if (!run.signal.aborted) onOutput(index, output);
      },
    });
    if (!Array.isArray(outputs) || outputs.length !== items.length) {
      throw new Error(
        `score "${entry.name}" returned ${Array.isArray(outputs) ? outputs.length : 'no'} outputs for ${items.length} items`,
      );
    }
    return outputs;
  } catch (error) {
    if (run.signal.aborted) return undefined;
    const failure = thrownError(error, entry.name, scorePackageOf(entry));
    if (stopsRun(failure)) {
      run.stopRun(failure);
      return undefined;
    }
    return items.map(() => errorOutput(failure));
  }
}

/** Where a score's outputs come from; Plexus's own packages' traces are not stringified twice. */
function outputSource(entry: LoadedScore): OutputSource {
  const packageName = scorePackageOf(entry);
  return { packageName, json: !isBuiltInPackage(packageName) };
}

/**
 * The item as `doScore` sees it. A package other than Plexus's own gets copies of the metadata and
 * the upstream results: one that set `results.A.value` changed A's stored line (and its accuracy),
 * and its metadata changes reached later scores and their cache keys.
 */
function scoreItem<Item extends EngineItem>(work: Work<Item>, copied: boolean): ScoreItemV1 {
  const { item, results } = work.state;
  if (!copied) return { id: item.id, text: work.text, metadata: item.metadata, results };
  try {
    return {
      id: item.id,
      text: work.text,
      metadata: structuredClone(item.metadata),
      results: nameRecordOf(
        Object.entries(results).map(([name, output]) => [name, structuredClone(output)]),
      ),
    };
  } catch {
    // A value that cannot be copied (none that a dataset or a checked output holds): as it is.
    return { id: item.id, text: work.text, metadata: item.metadata, results };
  }
}

/** Scores one micro-batch of one score: cache first, then one `doScore` call for the rest. */
export async function runBatch<Item extends EngineItem>(
  run: BatchRun<Item>,
  entry: LoadedScore,
  batch: Work<Item>[],
): Promise<void> {
  if (!entry.score) throw new Error(`score "${entry.name}" was not created`);
  const useCache = run.cache !== undefined && entry.score.cacheable !== false;
  let pending: Pending<Item>[] | undefined = batch.map((work) => ({
    work,
    key: useCache ? (work.key ?? keyOf(entry, work)) : '',
  }));
  if (useCache) pending = await takeCached(run, entry, pending);
  if (pending === undefined || pending.length === 0) return;
  const from = outputSource(entry);
  const items = pending.map(({ work }) => scoreItem(work, from.json));
  const store = outputStore(run, entry, pending, useCache, from);
  const outputs = await callScore(run, entry, items, store.finish);
  if (outputs === undefined) return;
  store.finishReturned(outputs);
  await Promise.all(store.writes);
}
