import { describe, expect, it } from 'vitest';
import { applyProcessors, processorSchema } from './processors.js';

const text =
  'Agent: how can i help\nCaller: my card is lost\nAgent: which card\nCaller: the debit one';

const processed = (settings: Record<string, unknown>) =>
  applyProcessors(text, [processorSchema.parse(settings)]);

describe('speaker names written as a transcript writes them', () => {
  it('keeps the caller\'s lines for "Caller:" as for "caller" (it kept nothing, and every item had no text)', () => {
    const expected = 'caller: my card is lost\ncaller: the debit one';
    expect(processed({ type: 'speaker', speakers: ['Caller:'] })).toBe(expected);
    expect(processed({ type: 'speaker', speakers: [' caller : '] })).toBe(expected);
    expect(processed({ type: 'speaker', speakers: ['caller'] })).toBe(expected);
  });

  it('counts a window\'s hits in the turns of "Agent:"', () => {
    const window = { type: 'window', keywords: ['card'], turns: 0, speakers: ['Agent:'] };
    expect(processed(window)).toBe('Agent: which card');
  });

  it('refuses a name that is only a colon', () => {
    const parsed = processorSchema.safeParse({ type: 'speaker', speakers: [' : '] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('a speaker name, e.g. Agent');
  });
});
