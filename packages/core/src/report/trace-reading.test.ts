import { describe, expect, it } from 'vitest';
import { highlightRanges, renderItemText } from './item-row.js';
import { highlightsOf, reportCallsPerItem, tracedCalls } from './trace-reading.js';

describe('reading traces for the report', () => {
  it('finds every call of a graph, with its node, and of a failed node', () => {
    const call = (content: string) => ({
      messages: [{ role: 'user', content }],
      answer: `answer to ${content}`,
    });
    const trace = {
      input: 'the text',
      path: [
        {
          node: 'task',
          value: 'yes',
          prompts: [call('first'), { ...call('again'), continues: true }],
        },
        { node: 'rule', value: 'no' },
        { node: 'quote', value: 'found', quote: 'help you', prompts: [call('third')] },
      ],
      failed: { node: 'last', prompts: [call('fourth')] },
    };
    const calls = tracedCalls(trace);
    expect(
      calls.map((entry) => [entry.where, entry.messages[0]!.content, entry.continues]),
    ).toEqual([
      ['node "task"', 'first', false],
      ['node "task"', 'again', true],
      ['node "quote"', 'third', false],
      ['node "last"', 'fourth', false],
    ]);
    expect(calls[0]!.answer).toBe('answer to first');
    expect(highlightsOf(trace)).toEqual([{ text: 'help you' }]);
    const many = { prompts: Array.from({ length: 40 }, (_, index) => call(String(index))) };
    expect(tracedCalls(many)).toHaveLength(reportCallsPerItem);
    const long = tracedCalls({ prompts: [call('x'.repeat(10_000))] })[0]!;
    expect(long.truncated).toBe(true);
    expect(long.messages[0]!.content.length).toBeLessThan(4100);
  });

  it('highlights at the offset when the text holds the match there, else at its first place', () => {
    const text = 'free entry, FREE prize';
    // Keywords on a text without turns: the offset is the text's.
    expect(highlightRanges(text, [{ text: 'FREE', start: 12 }])).toEqual([[12, 16]]);
    // An offset into a turn (or a processed text) does not hold the match: found by search.
    expect(highlightRanges(text, [{ text: 'prize', start: 3 }])).toEqual([[17, 22]]);
    expect(highlightRanges(text, [{ text: 'entry' }, { text: 'free entry' }])).toEqual([[0, 10]]);
    expect(highlightRanges(text, [{ text: 'absent' }])).toEqual([]);
    const negated = { hits: [{ matched: 'free', turn: 0, start: 0, negated_by: 'not' }] };
    expect(highlightsOf(negated)).toEqual([]);
    expect(
      renderItemText({ text: 'a <b> free', textLength: null, highlights: [{ text: 'free' }] }),
    ).toBe('<div class="text">a &lt;b&gt; <mark>free</mark></div>');
  });
});
