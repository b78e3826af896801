// A share in three decimals read "accuracy 1.000", "coverage 1.000" and "AC1 1.000" for a score
// that was wrong on one item of 2,999 and failed on one more, as for one never wrong.
import { describe, expect, it } from 'vitest';
import { ScoreMetricsAccumulator } from '../metrics/score-metrics.js';
import type { ResultLine } from '../run/result-line.js';
import { shareText } from './html.js';
import { navigation } from './report-page.js';
import { latencyText, scoreSection } from './score-section.js';
import { summaryTable } from './summary-section.js';

function line(item: number, value: string | null, status: 'ok' | 'error'): ResultLine {
  return {
    item_id: `i${item}`,
    score: 'Spam',
    value,
    status,
    label: 'spam',
    correct: value === null ? null : value === 'spam',
    explanation: null,
    confidence: null,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    llm_calls: 0,
    retries: 0,
    latency_ms: 1,
    cached: false,
    error: status === 'error' ? { message: 'boom' } : null,
  } as ResultLine;
}

/** 3,000 items: 2,998 right, item 1 answered ham (wrong), item 0 failed. */
function nearlyPerfect() {
  const metrics = new ScoreMetricsAccumulator();
  for (let item = 0; item < 3000; item += 1)
    metrics.add(
      line(item, item === 0 ? null : item === 1 ? 'ham' : 'spam', item === 0 ? 'error' : 'ok'),
    );
  return metrics.finish();
}

/** The text of HTML without its tags. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&#39;/g, "'");
}

describe('a share is never rounded to 1.000 or 0.000 it is not', () => {
  it('shareText', () => {
    expect(shareText(2998 / 2999)).toBe('>0.999');
    expect(shareText(1)).toBe('1.000');
    expect(shareText(1 / 3000)).toBe('<0.001');
    expect(shareText(0)).toBe('0.000');
    expect(shareText(0.6665)).toBe((0.6665).toFixed(3));
    expect(shareText(2998 / 2999, 2)).toBe('>0.99');
    expect(shareText(-0.2)).toBe('-0.200');
    expect(shareText(null)).toBe('—');
  });

  it('the report: accuracy 2,998 / 2,999, coverage 2,999 / 3,000, recall and AC1 below 1 (hand count)', () => {
    const metrics = nearlyPerfect();
    // Hand count: 2,998 right of 2,999 answered; 2,999 answered of 3,000 due.
    expect(metrics.accuracy).toBe(2998 / 2999);
    expect(metrics.coverage).toBe(2999 / 3000);
    expect(metrics.recall!.per_class.spam).toBe(2998 / 2999);
    expect(metrics.gwet_ac1!).toBeLessThan(1);
    const scores = { Spam: metrics };
    // Escaped in the page: `>0.999` in a cell is text, never markup.
    expect(summaryTable(scores)).toContain('<td class="number">&gt;0.999<div class="ci">');
    expect(scoreSection('Spam', metrics, 0)).not.toMatch(/<td class="number">[<>]/);
    const summary = text(summaryTable(scores));
    const section = text(scoreSection('Spam', metrics, 0));
    expect(summary).not.toMatch(/\b1\.000\b(?!\])/);
    expect(summary).toContain('>0.999');
    expect(section).toMatch(/accuracy\s+>0\.999/);
    expect(section).toMatch(/coverage\s+>0\.999/);
    expect(section).toMatch(/Gwet's AC1\s+>0\.999/);
    // Per class: spam's recall and F1 (2,998 / 2,999), precision exactly 1.
    expect(section).toMatch(/spam\s+2999\s+2998\s+1\.000\s+>0\.999\s+>0\.999/);
    expect(text(navigation(scores))).toContain('>0.99');
    expect(text(navigation(scores))).not.toContain('1.00');
  });

  it('a mean latency above 0 is not 0.0 ms', () => {
    expect(latencyText(0.035179)).toBe('<0.1');
    expect(latencyText(0)).toBe('0.0');
    expect(latencyText(0.05)).toBe('0.1');
    expect(latencyText(12.34)).toBe('12.3');
    expect(latencyText(null)).toBe('—');
    const metrics = nearlyPerfect();
    expect(text(scoreSection('Spam', { ...metrics, latency_ms_mean: 0.035 }, 0))).toMatch(
      /mean latency \(ms\)\s+<0\.1/,
    );
  });
});
