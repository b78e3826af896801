import type { RunSummary, ScoreMetrics } from '@plexus/core';
import { expect, it } from 'vitest';
import { formatSummaryTable } from './summary-table.js';

// The spam example's table (four-digit counts) put every name on a line of its own, though
// "Spam Forest" (11) fitted the 11 columns left: names were moved whenever fewer than 12 were.
it('keeps names in their column when they fit the room the numbers leave', () => {
  const row = {
    n: 1114,
    accuracy: 0.969,
    f1: { macro: 0.932, micro: 0.969, weighted: 0.969, per_class: {} },
    gwet_ac1: 0.959,
    n_errors: 1000,
    n_skipped: 1000,
    n_unlabeled: 1000,
    cost_usd: 0,
  } as unknown as ScoreMetrics;
  const lines = formatSummaryTable({
    scores: { 'Spam Words': row, 'Spam Forest': row },
  } as unknown as RunSummary).split('\n');
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  expect(lines[0]).toMatch(/^score +n +accuracy/);
  expect(lines[2]).toMatch(/^Spam Words +1114 +0\.969/);
  expect(lines[3]).toMatch(/^Spam Forest +1114 +0\.969/);
  expect(lines).toHaveLength(4);
});
