import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { RunStoreError } from '@plexus/core';
import type { Database, SqlJsStatic } from 'sql.js';
import type { FeedbackRecord } from './feedback-file.js';

/** The feedback database's default file name, in the current folder beside `runs/`. */
export const defaultFeedbackFile = 'feedback.sqlite';

/** Where the feedback database is: `--feedback-db`, else `PLEXUS_FEEDBACK_DB`, else `./feedback.sqlite`. */
export function feedbackDbPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option ?? env.PLEXUS_FEEDBACK_DB ?? defaultFeedbackFile);
}

const schema = `CREATE TABLE IF NOT EXISTS reviews (
  item_id TEXT NOT NULL,
  score TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  label TEXT NOT NULL,
  comment TEXT,
  PRIMARY KEY (item_id, score, reviewer, reviewed_at)
)`;

let engine: Promise<SqlJsStatic> | undefined;

/** sql.js (SQLite compiled to WebAssembly), loaded at the first use. */
function sqlEngine(): Promise<SqlJsStatic> {
  engine ??= import('sql.js').then((module) => module.default());
  return engine;
}

/** What an import did: new reviews, reviews already there unchanged, and reviews whose label or comment changed. */
export interface ImportCounts {
  added: number;
  unchanged: number;
  changed: number;
}

/**
 * Reviewers' labels in an SQLite file (sql.js: the database is read into memory and written back
 * whole, to a temporary file renamed over the old one, so a crash never leaves half a file). One
 * review per item, score, reviewer and time: importing the same file twice changes nothing.
 */
export class FeedbackStore {
  private constructor(
    readonly path: string,
    private readonly database: Database,
  ) {}

  /** Opens the database at `path`; a missing file is an empty store (created on the first save). */
  static async open(path: string): Promise<FeedbackStore> {
    const SQL = await sqlEngine();
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new RunStoreError(
          `${path}: cannot read the feedback database (${(error as Error).message})`,
        );
    }
    let database: Database;
    try {
      database = new SQL.Database(bytes);
      database.run(schema);
    } catch (error) {
      throw new RunStoreError(
        `${path}: not a Plexus feedback database (${(error as Error).message}); pass another --feedback-db`,
      );
    }
    return new FeedbackStore(path, database);
  }

  /** Adds the records in one transaction (all or none), then saves the file. */
  async add(records: readonly FeedbackRecord[]): Promise<ImportCounts> {
    const counts: ImportCounts = { added: 0, unchanged: 0, changed: 0 };
    const find = this.database.prepare(
      'SELECT label, comment FROM reviews WHERE item_id = ? AND score = ? AND reviewer = ? AND reviewed_at = ?',
    );
    const upsert = this.database.prepare(
      `INSERT INTO reviews (item_id, score, reviewer, reviewed_at, label, comment) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, score, reviewer, reviewed_at) DO UPDATE SET label = excluded.label, comment = excluded.comment`,
    );
    this.database.run('BEGIN');
    try {
      for (const record of records) {
        const key = [record.item_id, record.score, record.reviewer, record.reviewed_at];
        const old = find.get(key);
        find.reset();
        if (old.length > 0 && old[0] === record.label && (old[1] ?? null) === record.comment) {
          counts.unchanged += 1;
          continue;
        }
        if (old.length > 0) counts.changed += 1;
        else counts.added += 1;
        upsert.run([...key, record.label, record.comment]);
      }
      this.database.run('COMMIT');
    } catch (error) {
      this.database.run('ROLLBACK');
      throw error;
    } finally {
      find.free();
      upsert.free();
    }
    if (counts.added + counts.changed > 0) await this.save();
    return counts;
  }

  /** The reviews, ordered by score, item, time and reviewer; only these scores when given. */
  reviews(scores?: readonly string[]): FeedbackRecord[] {
    const statement = this.database.prepare(
      'SELECT item_id, score, label, reviewer, reviewed_at, comment FROM reviews ORDER BY score, item_id, reviewed_at, reviewer',
    );
    const records: FeedbackRecord[] = [];
    try {
      while (statement.step()) {
        const row = statement.getAsObject() as unknown as FeedbackRecord;
        if (scores && scores.length > 0 && !scores.includes(row.score)) continue;
        records.push({ ...row, comment: row.comment ?? null });
      }
    } finally {
      statement.free();
    }
    return records;
  }

  /** Writes the database to a temporary file beside it, then renames it over the old one. */
  private async save(): Promise<void> {
    const temporary = join(dirname(this.path), `.${randomUUID()}.feedback.tmp`);
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temporary, this.database.export());
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new RunStoreError(
        `${this.path}: cannot write the feedback database (${(error as Error).message})`,
      );
    }
  }

  close(): void {
    this.database.close();
  }
}
