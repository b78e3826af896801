import type { ScoreItemV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const env = { name: 'Words', labels: ['yes', 'no'], baseDir: '.', cacheDir: '.', dependsOn: [] };
const factory = plugin.factories.find((entry) => entry.kind === 'keywords')!;
const phrases = Array.from(
  { length: 50 },
  (_, index) => `phrase number ${index} of the fifty here`,
);

async function scored(text: string, fuzzy: Record<string, number>) {
  const settings = factory.settingsSchema.parse({ phrases, fuzzy });
  const score = await factory.create(settings, env);
  const items: ScoreItemV1[] = [{ id: '1', text, metadata: {}, results: {} }];
  const signal = new AbortController().signal;
  const [output] = await score.doScore({ items, signal, context: { scorecard: 'x' } });
  return output!;
}

describe('fuzzy keywords on a text too long for them', () => {
  it('end the item as keywords_timeout naming the fix (it ran on: 1.25 MB of text past five minutes)', async () => {
    const text = Array.from({ length: 40_000 }, (_, index) => `word${index % 97}`).join(' ');
    const output = await scored(text, { threshold: 85, timeout_ms: 200 });
    expect(output).toMatchObject({
      value: null,
      status: 'error',
      error: { code: 'keywords_timeout' },
    });
    expect(output.error?.message).toBe(
      'fuzzy matching of 50 phrases took longer than 200 ms on this item (a text of 40000 words): read less of it (speaker, first_turns, a window processor), use fewer phrases or exact matching, or raise fuzzy.timeout_ms',
    );
  });

  it('answer as before within the limit', async () => {
    const output = await scored('a text with phrase numbr 7 of the fifty here in it', {
      threshold: 85,
    });
    expect(output).toMatchObject({ value: 'yes', status: 'ok' });
  });
});
