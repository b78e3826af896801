import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultLine } from './result-line.js';
import { resultLine as line } from './result-line-fixture.js';
import { countsOnDisk } from './run-folder-counts.js';

/** The counts by JSON.parse of every complete line: the reference the quick reader must match. */
function parsedCounts(path: string) {
  const text = readFileSync(path, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').flatMap((entry) => {
    try {
      return [JSON.parse(entry) as ResultLine];
    } catch {
      return [];
    }
  });
  return {
    items: new Set(lines.map((entry) => entry.item_id)).size,
    results: lines.length,
    errors: lines.filter((entry) => entry.status === 'error').length,
    skipped: lines.filter((entry) => entry.status === 'skipped' || entry.status === 'disabled')
      .length,
    cache_hits: lines.filter((entry) => entry.cached === true).length,
  };
}

describe('counts of the lines on disk', () => {
  it('reads every shape of line as JSON.parse does, a cut last line not counted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-counts-'));
    const lines = [
      line('plain'),
      line('plain', { score: 'Other', status: 'error', value: null, correct: null }),
      line('with "quotes" and \\ backslash'),
      line('with "quotes" and \\ backslash', { score: 'Other', cached: true }),
      line('ünïcödé ✓', { status: 'skipped', value: null }),
      line('disabled', { status: 'disabled', value: null }),
      // Texts and labels that look like keys: never taken for the line's own fields.
      line('tricky', { value: ',"status":"error",', explanation: ',"cached":true,' }),
      line('probabilities', { probabilities: { cached: 0.4, status: 0.6 } }),
      line('trace', { trace: { step: { cached: true, status: 'error' } } }),
      line('cached', { cached: true, trace: { cached: false } }),
    ].map((entry) => JSON.stringify(entry));
    // A line in another key order (not written by toResultLine): parsed whole.
    lines.push(JSON.stringify({ status: 'error', cached: true, item_id: 'reordered', score: 'S' }));
    lines.push('not json');
    // The last line, cut by a crash: no newline.
    writeFileSync(
      join(dir, 'results.jsonl'),
      `${lines.join('\n')}\n${JSON.stringify(line('cut')).slice(0, 40)}`,
    );
    writeFileSync(join(dir, 'dataset-errors.jsonl'), '{"line":3}\n{"line":9}\n');
    const expected = parsedCounts(join(dir, 'results.jsonl'));
    // Hand count: 11 results of 9 items (plain and quotes twice); errors: plain/Other, reordered; skipped: 2; cached: 3.
    expect(expected).toEqual({ items: 9, results: 11, errors: 2, skipped: 2, cache_hits: 3 });
    expect(countsOnDisk(dir)).toEqual({ ...expected, malformed_rows: 2 });
  });

  it('says why when results.jsonl cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plexus-counts-'));
    const counts = countsOnDisk(dir);
    expect(counts).toMatchObject({
      unknown: expect.stringMatching(/^results\.jsonl could not be counted \(.*ENOENT/),
    });
  });
});
