import type { ResultLine } from '../run/result-line.js';
import type { LabelNormalization } from '../text/labels.js';
import { CostTally } from './cost-tally.js';
import { type ScoreMetrics, ScoreMetricsAccumulator } from './score-metrics.js';
import { TokenTally } from './token-tally.js';

/** Totals over every score of a run. */
export interface RunTotals {
  results: number;
  errors: number;
  skipped: number;
  cache_hits: number;
  /** US dollars; null when some calls have no price (see `unpriced_models`). */
  cost_usd: number | null;
  /** The models whose calls have no price, sorted; empty when all are priced. */
  unpriced_models: string[];
  /** Null when some result's tokens are unknown (`tokens_unknown_results` counts them). */
  input_tokens: number | null;
  output_tokens: number | null;
  tokens_unknown_results?: number;
  llm_calls: number;
  retries: number;
  /**
   * Results a resume scored again (`--retry-errors`, a score edited since): not results of the run
   * any more, but what they paid is in the cost, tokens, calls and retries above.
   */
  replaced_results: number;
}

/** Streaming metrics of a run: one accumulator per score, plus totals. */
export class RunMetrics {
  private readonly scores = new Map<string, ScoreMetricsAccumulator>();
  private readonly cost = new CostTally();
  private readonly tokens = new TokenTally();
  readonly totals: RunTotals = {
    results: 0,
    errors: 0,
    skipped: 0,
    cache_hits: 0,
    cost_usd: 0,
    unpriced_models: [],
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: 0,
    retries: 0,
    replaced_results: 0,
  };

  constructor(scores: readonly { name: string; normalization?: LabelNormalization | undefined }[]) {
    for (const score of scores)
      this.scores.set(score.name, new ScoreMetricsAccumulator(score.normalization));
  }

  private accumulator(score: string): ScoreMetricsAccumulator {
    let accumulator = this.scores.get(score);
    if (!accumulator) {
      accumulator = new ScoreMetricsAccumulator();
      this.scores.set(score, accumulator);
    }
    return accumulator;
  }

  add(line: ResultLine): void {
    this.accumulator(line.score).add(line);
    const totals = this.totals;
    totals.results += 1;
    if (line.status === 'error') totals.errors += 1;
    else if (line.status === 'skipped' || line.status === 'disabled') totals.skipped += 1;
    if (line.cached) totals.cache_hits += 1;
    this.addSpend(line);
  }

  /**
   * A result a resume scored again (see `RunTotals.replaced_results`): its spend counts, in its
   * score's and the run's totals; its answer does not.
   */
  addReplaced(line: ResultLine): void {
    if (this.scores.has(line.score)) this.scores.get(line.score)!.addSpend(line);
    this.totals.replaced_results += 1;
    this.addSpend(line);
  }

  private addSpend(line: ResultLine): void {
    const totals = this.totals;
    this.cost.add(line);
    totals.cost_usd = this.cost.usd;
    if (line.cost_usd === null) totals.unpriced_models = this.cost.unpricedModels;
    this.tokens.add(line);
    totals.input_tokens = this.tokens.inputTokens;
    totals.output_tokens = this.tokens.outputTokens;
    if (line.tokens_unknown === true) totals.tokens_unknown_results = this.tokens.unknownResults;
    totals.llm_calls += line.llm_calls;
    totals.retries += line.retries ?? 0;
  }

  /** The metrics of every score; `seed` makes the bootstrap intervals repeatable. */
  finish(seed = 0): Record<string, ScoreMetrics> {
    return Object.fromEntries(
      [...this.scores].map(([name, accumulator]) => [name, accumulator.finish(seed)]),
    );
  }
}
