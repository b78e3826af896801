import { isTimed } from '@plexus/core';
import type { CliIo } from './output.js';
import { plural } from './summary-table.js';

/** The items a run will score, when known: `exact` false when a count may be off (say "about"). */
export interface ProgressTotal {
  items: number;
  exact: boolean;
}

export interface ProgressOptions {
  io: CliIo;
  /** False with --quiet or --json: nothing is printed. */
  enabled: boolean;
  /** Scores per item: every item gives one result per score, so items done = results / scores. */
  scoresPerItem: number;
  total?: ProgressTotal;
  /** Off a terminal, one line every this many milliseconds; default 5,000. */
  lineIntervalMs?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

/** What progress reads of a result line. */
export interface ProgressResult {
  score: string;
  status: string;
  latency_ms: number;
  cached: boolean;
}

/** `1 h 02 min`, `3 min 05 s`, `42 s`. */
export function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/**
 * Progress on stderr: on a terminal one line redrawn at most 10 times a second; elsewhere (a log,
 * CI) a line every few seconds. It shows items done of the total (when known) with an ETA, errors,
 * the rate and the slowest score (highest mean latency of the calls it made).
 */
export class Progress {
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw: number;
  private results = 0;
  private errors = 0;
  private shownWidth = 0;
  private total: ProgressTotal | undefined;
  private readonly latency = new Map<string, { total: number; count: number }>();

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastDraw = this.started;
    this.total = options.total;
  }

  /** The total once it is counted (a dataset's rows are counted while the run starts). */
  setTotal(total: ProgressTotal | undefined): void {
    if (total && !this.total) this.total = total;
  }

  update(line: ProgressResult): void {
    if (!this.options.enabled) return;
    this.results += 1;
    if (line.status === 'error') this.errors += 1;
    if (isTimed(line)) {
      const entry = this.latency.get(line.score) ?? { total: 0, count: 0 };
      entry.total += line.latency_ms;
      entry.count += 1;
      this.latency.set(line.score, entry);
    }
    const now = this.now();
    const interval = this.options.io.isTty ? 100 : (this.options.lineIntervalMs ?? 5000);
    if (now - this.lastDraw < interval) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** The line as shown, without the bar: counts, ETA, errors, rate, slowest score. */
  describe(now = this.now()): string {
    const items = Math.floor(this.results / Math.max(1, this.options.scoresPerItem));
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const parts: string[] = [];
    const total = this.total;
    if (total && total.items > 0) {
      const share = Math.min(1, items / total.items);
      parts.push(
        `${items}/${total.exact ? '' : 'about '}${total.items} items (${Math.floor(share * 100)}%)`,
      );
      if (items > 0 && items < total.items)
        parts.push(
          `ETA ${total.exact ? '' : 'about '}${duration(((total.items - items) * seconds) / items)}`,
        );
    } else parts.push(`${items} items`);
    parts.push(plural(this.errors, 'error'), `${Math.round(this.results / seconds)} results/s`);
    const slowest = this.slowest();
    if (slowest) parts.push(`slowest: ${slowest}`);
    return parts.join(' · ');
  }

  private slowest(): string | undefined {
    if (this.latency.size < 2) return undefined;
    let name = '';
    let mean = -1;
    for (const [score, entry] of this.latency) {
      const value = entry.total / entry.count;
      if (value > mean) {
        name = score;
        mean = value;
      }
    }
    return `${name} (${Math.round(mean)} ms per call)`;
  }

  private draw(now: number): void {
    const text = this.describe(now);
    if (!this.options.io.isTty) {
      this.options.io.stderr(`progress: ${text}\n`);
      return;
    }
    let bar = '';
    if (this.total && this.total.items > 0) {
      const items = this.results / Math.max(1, this.options.scoresPerItem);
      const filled = Math.min(20, Math.round((items / this.total.items) * 20));
      bar = `${'█'.repeat(filled)}${'░'.repeat(20 - filled)} `;
    }
    const line = `${bar}${text}`;
    // Spaces over what a longer previous line left (escape codes would be escaped on output).
    this.options.io.stderr(`\r${line}${' '.repeat(Math.max(0, this.shownWidth - line.length))}`);
    this.shownWidth = line.length;
  }

  done(): void {
    if (this.shownWidth > 0) this.options.io.stderr('\n');
  }
}
