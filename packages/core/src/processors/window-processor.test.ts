import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyProcessors, processorSchema } from './processors.js';

// Four Harper Valley Bank calls (Apache-2.0, see test-data/hvb/LICENSE-NOTE.md).
const calls = new Map(
  readFileSync(new URL('../../test-data/hvb/calls.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; text: string })
    .map((call) => [call.id, call.text]),
);
const lostCard = calls.get('0002f70f7386445b')!;
const replacedCard = calls.get('0a76782d6ee84f73')!;
const appointment = calls.get('010eaccb7a23436f')!;

function windowed(text: string, settings: Record<string, unknown>): string {
  return applyProcessors(text, [processorSchema.parse({ type: 'window', ...settings })]);
}

describe('window processor on real calls', () => {
  it('keeps words around each hit, merges overlapping windows and keeps speaker lines', () => {
    // Hand-checked: two words either side of "lost" and of each "card"; "yes" falls in no window.
    expect(windowed(lostCard, { keywords: ['card', 'lost'], words: 2 })).toBe(
      [
        'Caller: … brown',
        'Caller: i lost my debit card',
        'Caller: can you … one',
        'Agent: which card would you …',
        'Caller: my',
        'Caller: debit card',
        'Agent: can you …',
        '…',
        'Caller: my debit card',
        'Agent: is there …',
      ].join('\n'),
    );
  });

  it('keeps whole turns around the hits of one speaker', () => {
    // The caller says "debit card" in turns 5, 9 and 12 (from 0): turns 4-6 and 8-13 are kept.
    expect(windowed(lostCard, { keywords: ['debit card'], turns: 1, speakers: ['caller'] })).toBe(
      [
        'Caller: my name is patricia brown',
        'Caller: i lost my debit card',
        'Caller: can you send me a new one',
        '…',
        'Caller: my',
        'Caller: debit card',
        'Agent: can you repeat that please',
        'Caller: yes',
        'Caller: my debit card',
        'Agent: is there anything else i can help you with today',
      ].join('\n'),
    );
    // The agent never says "debit card" in this call: nothing matches, the fallback applies.
    expect(windowed(lostCard, { keywords: ['debit card'], turns: 1, speakers: ['agent'] })).toBe(
      '',
    );
    expect(
      windowed(lostCard, {
        keywords: ['debit card'],
        turns: 1,
        speakers: ['agent'],
        fallback: 'full',
      }),
    ).toBe(lostCard);
  });

  it('matches near words with fuzzy on, and only exact words without it', () => {
    // "replace" is 78 similar to "replacement" (200 · 7 / 18).
    expect(
      windowed(replacedCard, {
        keywords: ['replacement'],
        fuzzy: { threshold: 75 },
        words: 1,
        speakers: ['agent'],
      }),
    ).toBe('Agent: … can replace your …\n…\nAgent: … a replacement debit …');
    expect(windowed(replacedCard, { keywords: ['replacement'], words: 1 })).toBe(
      'Agent: … a replacement debit …',
    );
  });

  it('gives the fallback when no keyword occurs', () => {
    expect(windowed(appointment, { keywords: ['card'] })).toBe('');
    expect(windowed(appointment, { keywords: ['card'], fallback: 'full' })).toBe(appointment);
  });

  it('keeps text without speaker lines as one turn', () => {
    expect(windowed('one two three four five six seven', { keywords: ['four'], words: 1 })).toBe(
      '… three four five …',
    );
  });

  it('refuses words and turns together', () => {
    const parsed = processorSchema.safeParse({
      type: 'window',
      keywords: ['card'],
      words: 3,
      turns: 1,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('set words or turns, not both');
  });
});
