import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { type ConfigProblem, CsvParser, DatasetError, InvalidConfigError } from '@plexus/core';

/** One reviewer's label for one item and one score. */
export interface FeedbackRecord {
  item_id: string;
  score: string;
  label: string;
  reviewer: string;
  /** When the review was made, ISO 8601 in UTC (`2026-03-01T09:30:00.000Z`). */
  reviewed_at: string;
  comment: string | null;
}

const required = ['item_id', 'score', 'label', 'reviewer', 'reviewed_at'] as const;

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Values for empty `reviewer` and `reviewed_at` cells (a filled-in review queue). */
export interface FeedbackDefaults {
  reviewer?: string;
  /** ISO time; `readFeedbackFile` uses the file's modification time. */
  reviewed_at?: string;
}

const fixes: Record<string, string> = {
  reviewer: 'fill it, or pass --reviewer NAME',
};

/**
 * A record from one row's fields, or the problems of that row (`file:line: field: message`).
 * `reviewed_at` is any date `Date.parse` reads (`2026-03-01`, `2026-03-01T09:30:00Z`), kept in UTC.
 */
export function feedbackRecord(
  fields: Readonly<Record<string, unknown>>,
  place: { file: string; line: number },
  defaults: FeedbackDefaults = {},
): FeedbackRecord | ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const values: Record<string, string> = {};
  for (const name of required) {
    const given = text(fields[name]);
    const value =
      given === undefined || given === '' ? defaults[name as keyof FeedbackDefaults] : given;
    if (value === undefined || value === '')
      problems.push({
        ...place,
        path: name,
        message: `${name} is empty: ${fixes[name] ?? 'every review needs one'}`,
      });
    else values[name] = value;
  }
  if (values.reviewed_at !== undefined) {
    const time = Date.parse(values.reviewed_at);
    if (Number.isNaN(time))
      problems.push({
        ...place,
        path: 'reviewed_at',
        message: `"${values.reviewed_at}" is not a date: write it like 2026-03-01 or 2026-03-01T09:30:00Z`,
      });
    else values.reviewed_at = new Date(time).toISOString();
  }
  if (problems.length > 0) return problems;
  const comment = text(fields.comment);
  return {
    item_id: values.item_id!,
    score: values.score!,
    label: values.label!,
    reviewer: values.reviewer!,
    reviewed_at: values.reviewed_at!,
    comment: comment === undefined || comment === '' ? null : comment,
  };
}

/**
 * A cell without the `'` a spreadsheet-safe export puts before text it would run as a formula
 * (`'=x`, `'-1`: `plexus feedback export`), so that an exported file imports as it was.
 */
function unquotedFormula(value: string | undefined): string | undefined {
  return value !== undefined && /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

const separators = [
  [';', 'semicolons'],
  ['\t', 'tabs'],
  ['|', 'vertical bars'],
] as const;

/**
 * Why a header lacks the columns when a spreadsheet saved the file otherwise than as comma-separated
 * UTF-8: in UTF-16 (its "Unicode Text": a NUL between the letters read as UTF-8), or with another
 * separator (one column `item_id;score;...`). Such files were told "no column item_id, ...".
 */
function savedOtherwise(content: string, header: readonly string[]): string | undefined {
  const save = 'save it as "CSV UTF-8 (Comma delimited)"';
  if (content.slice(0, 200).includes('\u0000'))
    return `the file is UTF-16 (a spreadsheet's "Unicode Text"), not UTF-8: ${save}`;
  if (header.length !== 1) return undefined;
  for (const [character, name] of separators) {
    const parts = header[0]!.split(character);
    if (required.every((column) => parts.map((part) => part.trim()).includes(column)))
      return `its header's names are separated by ${name}, not commas: ${save}, or replace the separators with commas`;
  }
  return undefined;
}

function csvRows(
  content: string,
  file: string,
  problems: ConfigProblem[],
): { line: number; fields: Record<string, string> }[] {
  const parser = new CsvParser();
  const events = [...parser.push(content), ...parser.end()];
  let header: string[] | undefined;
  const rows: { line: number; fields: Record<string, string> }[] = [];
  for (const event of events) {
    if (event.kind === 'error') {
      problems.push({ file, line: event.line, path: '', message: event.message });
      continue;
    }
    if (!header) {
      header = event.fields.map((name) => name.trim());
      const missing = required.filter((name) => !header!.includes(name));
      if (missing.length > 0)
        throw new DatasetError(
          `${file}:${event.line}: no column ${missing.join(', ')}: ${savedOtherwise(content, header) ?? `a feedback file has the columns ${required.join(', ')} (and optionally comment)`}`,
        );
      continue;
    }
    if (event.fields.length === 1 && event.fields[0] === '') continue;
    const fields = Object.fromEntries(
      header.map((name, index) => [name, unquotedFormula(event.fields[index])]),
    );
    rows.push({ line: event.line, fields: fields as Record<string, string> });
  }
  return rows;
}

function jsonlRows(
  content: string,
  file: string,
  problems: ConfigProblem[],
): { line: number; fields: Record<string, unknown> }[] {
  const rows: { line: number; fields: Record<string, unknown> }[] = [];
  content.split(/\r?\n/).forEach((source, index) => {
    if (source.trim() === '') return;
    try {
      const value: unknown = JSON.parse(source);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('a line is one JSON object');
      rows.push({ line: index + 1, fields: value as Record<string, unknown> });
    } catch (error) {
      problems.push({
        file,
        line: index + 1,
        path: '',
        message: `not a JSON object (${(error as Error).message})`,
      });
    }
  });
  return rows;
}

/**
 * A file's reviews, each once. The same review (item, score, reviewer, time) again alike is kept
 * once; again with another label or comment it is a problem naming both lines: the later one
 * replaced the earlier in silence ("1 changed"), a copy-paste mistake kept as data.
 */
class FileReviews {
  readonly records: FeedbackRecord[] = [];
  private readonly seen = new Map<string, number>();
  private readonly lines: number[] = [];

  constructor(private readonly file: string) {}

  add(record: FeedbackRecord, line: number): ConfigProblem | undefined {
    const key = `${record.item_id}\u0000${record.score}\u0000${record.reviewer}\u0000${record.reviewed_at}`;
    const earlier = this.seen.get(key);
    if (earlier === undefined) {
      this.seen.set(key, this.records.length);
      this.records.push(record);
      this.lines.push(line);
      return undefined;
    }
    const first = this.records[earlier]!;
    if (first.label === record.label && first.comment === record.comment) return undefined;
    const what =
      first.label !== record.label
        ? `the label ${JSON.stringify(record.label)}, not ${JSON.stringify(first.label)}`
        : 'another comment';
    return {
      file: this.file,
      line,
      path: 'label',
      message: `the review of line ${this.lines[earlier]} again (item ${record.item_id}, score ${record.score}, reviewer ${record.reviewer}, ${record.reviewed_at}) with ${what}: keep one, or give each its own reviewed_at`,
    };
  }
}

/** A feedback file's reviews, and its rows left without a label (a review queue not finished). */
export interface FeedbackFile {
  records: FeedbackRecord[];
  /** Rows whose `label` is empty: not reviewed yet, skipped (and counted, never an error). */
  unlabelled: number;
}

/**
 * Reads a feedback file (CSV with a header, or JSONL: `item_id`, `score`, `label`, `reviewer`,
 * `reviewed_at`, optional `comment`; other columns are ignored). Every bad row is named; any bad
 * row fails the whole file (`InvalidConfigError` listing them), so nothing is half-imported. A row
 * with an empty label is not reviewed yet: skipped and counted. An empty `reviewer` takes
 * `options.reviewer`; an empty `reviewed_at` the file's modification time (so importing the same
 * file again still changes nothing).
 */
export async function readFeedbackFile(
  file: string,
  options: { reviewer?: string } = {},
): Promise<FeedbackFile> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new DatasetError(`${file}: cannot read the feedback file (${(error as Error).message})`);
  }
  const problems: ConfigProblem[] = [];
  const extension = extname(file).toLowerCase();
  const rows =
    extension === '.jsonl' || extension === '.ndjson'
      ? jsonlRows(content, file, problems)
      : csvRows(content, file, problems);
  const defaults = {
    reviewer: options.reviewer,
    reviewed_at: (await stat(file)).mtime.toISOString(),
  };
  const reviews = new FileReviews(file);
  let unlabelled = 0;
  for (const row of rows) {
    if (
      text(row.fields.label) === '' ||
      row.fields.label === undefined ||
      row.fields.label === null
    ) {
      unlabelled += 1;
      continue;
    }
    const record = feedbackRecord(row.fields, { file, line: row.line }, defaults);
    if (Array.isArray(record)) problems.push(...record);
    else {
      const repeated = reviews.add(record, row.line);
      if (repeated) problems.push(repeated);
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return { records: reviews.records, unlabelled };
}
