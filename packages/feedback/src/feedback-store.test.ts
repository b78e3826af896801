import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeedbackFile } from './feedback-file.js';
import { feedbackGold } from './feedback-gold.js';
import { FeedbackStore, feedbackDbPath } from './feedback-store.js';

const header = 'item_id,score,label,reviewer,reviewed_at,comment\n';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'plexus-feedback-'));
}

describe('FeedbackStore', () => {
  it('imports a CSV file into an SQLite file; importing it again changes nothing', async () => {
    const dir = folder();
    const csv = join(dir, 'reviews.csv');
    writeFileSync(
      csv,
      `${header}c1,Greeting,yes,ana,2026-03-01,\nc1,Greeting,no,ben,2026-03-02T10:00:00Z,"missed ""thank you"""\nc2,Greeting,no,ana,2026-03-03,\n`,
    );
    const db = join(dir, 'feedback.sqlite');
    const store = await FeedbackStore.open(db);
    expect(await store.add((await readFeedbackFile(csv)).records)).toEqual({
      added: 3,
      unchanged: 0,
      changed: 0,
    });
    store.close();
    // An SQLite file on disk: its header, and no temporary file left beside it.
    expect(readFileSync(db).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(readdirSync(dir).sort()).toEqual(['feedback.sqlite', 'reviews.csv']);
    const before = readFileSync(db);
    const again = await FeedbackStore.open(db);
    expect(await again.add((await readFeedbackFile(csv)).records)).toEqual({
      added: 0,
      unchanged: 3,
      changed: 0,
    });
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(again.reviews()).toEqual([
      {
        item_id: 'c1',
        score: 'Greeting',
        label: 'yes',
        reviewer: 'ana',
        reviewed_at: '2026-03-01T00:00:00.000Z',
        comment: null,
      },
      {
        item_id: 'c1',
        score: 'Greeting',
        label: 'no',
        reviewer: 'ben',
        reviewed_at: '2026-03-02T10:00:00.000Z',
        comment: 'missed "thank you"',
      },
      {
        item_id: 'c2',
        score: 'Greeting',
        label: 'no',
        reviewer: 'ana',
        reviewed_at: '2026-03-03T00:00:00.000Z',
        comment: null,
      },
    ]);
    // A corrected label for the same item, score, reviewer and time replaces it.
    writeFileSync(csv, `${header}c2,Greeting,yes,ana,2026-03-03,\n`);
    expect(await again.add((await readFeedbackFile(csv)).records)).toEqual({
      added: 0,
      unchanged: 0,
      changed: 1,
    });
    again.close();
  });

  it('names every bad row and imports nothing from a file with one', async () => {
    const dir = folder();
    const file = join(dir, 'reviews.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          item_id: 'c1',
          score: 'S',
          label: 'yes',
          reviewer: 'ana',
          reviewed_at: '2026-03-01',
        }),
        '{not json',
        JSON.stringify({
          item_id: 'c2',
          score: 'S',
          label: 'no',
          reviewer: '',
          reviewed_at: 'yesterday',
        }),
      ].join('\n'),
    );
    const error = await readFeedbackFile(file).catch((caught: Error) => caught);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('3 problems:');
    expect(lines[1]).toMatch(new RegExp(`^${file}:2: not a JSON object \\(Expected property name`));
    expect(lines.slice(2)).toEqual([
      `${file}:3: reviewer: reviewer is empty: fill it, or pass --reviewer NAME`,
      `${file}:3: reviewed_at: "yesterday" is not a date: write it like 2026-03-01 or 2026-03-01T09:30:00Z`,
    ]);
  });

  it('a filled-in review queue: unlabelled rows skipped and counted, --reviewer and the file time fill the blanks', async () => {
    const file = join(folder(), 'queue.csv');
    writeFileSync(file, `${header}c1,S,yes,,,\nc2,S,,,,\nc3,S,no,ben,2026-03-04,\nc4,S,,,,\n`);
    const read = await readFeedbackFile(file, { reviewer: 'ana' });
    expect(read.unlabelled).toBe(2);
    const mtime = statSync(file).mtime.toISOString();
    expect(
      read.records.map((record) => [record.item_id, record.reviewer, record.reviewed_at]),
    ).toEqual([
      ['c1', 'ana', mtime],
      ['c3', 'ben', '2026-03-04T00:00:00.000Z'],
    ]);
    await expect(readFeedbackFile(file)).rejects.toThrow(
      /queue\.csv:2: reviewer: reviewer is empty: fill it, or pass --reviewer NAME/,
    );
  });

  it('says which columns a CSV lacks', async () => {
    const file = join(folder(), 'reviews.csv');
    writeFileSync(file, 'item_id,score,label\nc1,S,yes\n');
    await expect(readFeedbackFile(file)).rejects.toThrow(
      /reviews\.csv:1: no column reviewer, reviewed_at: a feedback file has the columns/,
    );
  });

  it('refuses a file that is not a feedback database, naming it', async () => {
    const file = join(folder(), 'feedback.sqlite');
    writeFileSync(file, 'not a database at all, just some text that is long enough');
    await expect(FeedbackStore.open(file)).rejects.toThrow(
      /feedback\.sqlite: not a Plexus feedback database/,
    );
  });

  it('finds the database from the option, then PLEXUS_FEEDBACK_DB, then beside runs/', () => {
    expect(feedbackDbPath('/x/a.sqlite', { PLEXUS_FEEDBACK_DB: '/y/b.sqlite' })).toBe(
      '/x/a.sqlite',
    );
    expect(feedbackDbPath(undefined, { PLEXUS_FEEDBACK_DB: '/y/b.sqlite' })).toBe('/y/b.sqlite');
    expect(feedbackDbPath(undefined, {})).toBe(join(process.cwd(), 'feedback.sqlite'));
  });
});

describe('feedbackGold', () => {
  const at = (day: string) => `2026-03-${day}T00:00:00.000Z`;
  const records = [
    {
      item_id: 'a',
      score: 'S',
      label: 'yes',
      reviewer: 'r1',
      reviewed_at: at('01'),
      comment: null,
    },
    { item_id: 'a', score: 'S', label: 'no', reviewer: 'r2', reviewed_at: at('02'), comment: null },
    { item_id: 'a', score: 'S', label: 'no', reviewer: 'r3', reviewed_at: at('03'), comment: null },
    {
      item_id: 'b',
      score: 'S',
      label: 'yes',
      reviewer: 'r1',
      reviewed_at: at('01'),
      comment: null,
    },
    { item_id: 'b', score: 'S', label: 'no', reviewer: 'r2', reviewed_at: at('02'), comment: null },
    // r1 looked at c twice: their latest says no, so the majority is no.
    {
      item_id: 'c',
      score: 'S',
      label: 'yes',
      reviewer: 'r1',
      reviewed_at: at('01'),
      comment: null,
    },
    { item_id: 'c', score: 'S', label: 'no', reviewer: 'r1', reviewed_at: at('05'), comment: null },
    {
      item_id: 'c',
      score: 'S',
      label: 'yes',
      reviewer: 'r2',
      reviewed_at: at('02'),
      comment: null,
    },
    { item_id: 'c', score: 'S', label: 'no', reviewer: 'r3', reviewed_at: at('03'), comment: null },
  ];

  it('latest: the most recent review', () => {
    const gold = feedbackGold(records, 'latest');
    expect([...gold.labels.get('S')!]).toEqual([
      ['a', 'no'],
      ['b', 'no'],
      ['c', 'no'],
    ]);
    expect(gold.ties).toEqual([]);
  });

  it('majority: each reviewer once, ties reported and given no gold', () => {
    const gold = feedbackGold(records, 'majority');
    expect([...gold.labels.get('S')!]).toEqual([
      ['a', 'no'],
      ['c', 'no'],
    ]);
    expect(gold.ties).toEqual([{ score: 'S', item_id: 'b', labels: ['no', 'yes'] }]);
  });
});
