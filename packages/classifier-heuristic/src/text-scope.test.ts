import { type ScoreItemV1, seededRandom } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { ScopedSegments, type ScopeSettings, type Segment, scopeSegments } from './text-scope.js';

const pieces = [
  'Agent: ',
  'Caller: ',
  'customer:',
  'Bob :',
  'hello',
  ' how can i help',
  '\n',
  '\r\n',
  ' ',
  'x',
];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

function readAll(segments: ScopedSegments): Segment[] {
  const all: Segment[] = [];
  for (let index = 0, segment = segments.at(0); segment; segment = segments.at(++index))
    all.push(segment);
  return all;
}

describe('ScopedSegments', () => {
  it('reads the same segments as scopeSegments, on 5,000 random texts and scopes', () => {
    const random = seededRandom(3);
    for (let sample = 0; sample < 5_000; sample += 1) {
      let text = '';
      for (let index = Math.floor(random() * 12); index > 0; index -= 1)
        text += pick(random, pieces);
      const item: ScoreItemV1 = {
        id: String(sample),
        text,
        metadata:
          random() < 0.3
            ? {
                segments: [
                  { speaker: 'Agent', text: 'hi' },
                  { speaker: 'customer', text: 'yo' },
                ],
              }
            : {},
        results: {},
      };
      const scope: ScopeSettings = {
        speaker: pick(random, ['any', 'agent', 'caller', 'customer', 'bob']),
        first_turns: pick(random, [undefined, 1, 2]),
        last_turns: pick(random, [undefined, undefined, 1]),
        first_chars: pick(random, [undefined, 4, 5, 12]),
        last_chars: pick(random, [undefined, undefined, 6]),
      };
      const label = `${JSON.stringify(text)} ${JSON.stringify(scope)}`;
      expect(readAll(new ScopedSegments(item, scope)), label).toEqual(scopeSegments(item, scope));
    }
  });
});
