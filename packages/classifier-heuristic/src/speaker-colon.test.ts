import type { ScoreItemV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const item: ScoreItemV1 = {
  id: '1',
  text: 'Agent: how can i help\nCaller: my card is lost',
  metadata: {},
  results: {},
};

async function answer(speaker: string): Promise<string | null> {
  const factory = plugin.factories.find((entry) => entry.kind === 'keywords')!;
  const settings = factory.settingsSchema.parse({ phrases: ['card'], speaker });
  const env = { name: 'Card', labels: ['yes', 'no'], baseDir: '.', cacheDir: '.', dependsOn: [] };
  const score = await factory.create(settings, env);
  const signal = new AbortController().signal;
  const [output] = await score.doScore({ items: [item], signal, context: { scorecard: 'x' } });
  return output!.value;
}

describe("a rule's speaker written with its colon", () => {
  it('"Caller:" reads the caller\'s turns as "caller" does (it read none: every item answered no)', async () => {
    expect(await answer('caller')).toBe('yes');
    expect(await answer('Caller:')).toBe('yes');
    expect(await answer('Agent:')).toBe('no');
  });
});
