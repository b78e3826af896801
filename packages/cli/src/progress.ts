import type { CliIo } from './output.js';

/** A one-line progress display on stderr, redrawn at most 10 times a second; silent off a TTY. */
export class Progress {
  private lastDraw = 0;
  private readonly started = Date.now();
  private results = 0;
  private errors = 0;
  private shown = false;

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
    private readonly total: number | undefined,
    /** Scores per item: every item gives one result per score, so items done = results / scores. */
    private readonly scoresPerItem: number,
  ) {}

  update(status: string): void {
    if (!this.enabled) return;
    this.results += 1;
    if (status === 'error') this.errors += 1;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const items = Math.floor(this.results / Math.max(1, this.scoresPerItem));
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = Math.round(this.results / seconds);
    let bar = '';
    if (this.total) {
      const filled = Math.min(20, Math.round((items / this.total) * 20));
      bar = `${'█'.repeat(filled)}${'░'.repeat(20 - filled)} `;
    }
    this.io.stderr(
      `\r${bar}${items} items · ${this.results} results · ${this.errors} errors · ${rate} results/s `,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.io.stderr('\n');
  }
}
