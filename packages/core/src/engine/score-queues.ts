// The engine's per-score queues: items whose score is due wait here until a batch of them starts,
// up to the score's concurrency (see `EngineRun`).
import type { LoadedScore } from '../scorecard/loaded-scorecard.js';
import type { EngineItem } from './engine-result.js';
import { type BatchRun, cachedOutput, runBatch, type Work } from './score-batch.js';

interface ScoreQueue<Item> {
  entry: LoadedScore;
  waiting: Work<Item>[];
  /** Batches of this score in flight. */
  running: number;
  /** A dispatch is due at the end of this turn (items ready in one turn share a batch). */
  scheduled: boolean;
}

/** What the queues tell the run: a batch that threw, and a batch that ended. */
export interface QueueEvents {
  failed(error: unknown): void;
  ended(): void;
}

export class ScoreQueues<Item extends EngineItem> {
  private readonly queues: Map<string, ScoreQueue<Item>>;
  /** Batches in flight, of every score. */
  active = 0;

  constructor(
    private readonly run: BatchRun<Item>,
    scores: readonly LoadedScore[],
    private readonly concurrency: number,
    private readonly events: QueueEvents,
  ) {
    this.queues = new Map(
      scores.map((entry) => [entry.name, { entry, waiting: [], running: 0, scheduled: false }]),
    );
  }

  /** Queues the item's work for its score; a cache hit completes now. */
  enqueue(entry: LoadedScore, work: Work<Item>): void {
    const queue = this.queues.get(entry.name)!;
    // A miss is looked up again in its batch (it may be cached by then).
    const hit = this.run.halted() ? undefined : cachedOutput(this.run, entry, work);
    if (hit !== undefined) {
      this.run.complete(work.state, entry.name, hit, 0, true);
      return;
    }
    queue.waiting.push(work);
    this.schedule(queue);
  }

  /** A full batch goes at once; the rest at the end of this turn, with whatever joined it. */
  private schedule(queue: ScoreQueue<Item>): void {
    const batchSize = queue.entry.score?.maxBatchSize ?? 1;
    if (queue.waiting.length >= batchSize) this.dispatch(queue);
    if (queue.waiting.length > 0 && !queue.scheduled) {
      queue.scheduled = true;
      setImmediate(() => {
        queue.scheduled = false;
        this.dispatch(queue);
      });
    }
  }

  /** Starts batches of the queue up to the score's concurrency. */
  private dispatch(queue: ScoreQueue<Item>): void {
    const batchSize = Math.max(1, queue.entry.score?.maxBatchSize ?? 1);
    // A score that collects items (a batch API) answers none before it has many: no bound.
    const limit = queue.entry.score?.collects ? Number.POSITIVE_INFINITY : this.concurrency;
    while (queue.running < limit && queue.waiting.length > 0 && !this.run.halted()) {
      const batch = queue.waiting.splice(0, batchSize);
      queue.running += 1;
      this.active += 1;
      runBatch(this.run, queue.entry, batch)
        .catch((error: unknown) => this.events.failed(error))
        .finally(() => {
          queue.running -= 1;
          this.active -= 1;
          this.schedule(queue);
          this.events.ended();
        });
    }
  }
}
