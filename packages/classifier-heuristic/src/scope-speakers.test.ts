import type { ScoreItemV1 } from '@plexus/core';
import { describe, expect, it } from 'vitest';
import { ScopedSegments, type Segment, scopeSegments } from './text-scope.js';

const text = [
  'intro without a speaker',
  'Agent: a1',
  'Caller: c1',
  'Customer: c2',
  'CLIENT: c3',
  'Rep: a2',
  'Representative: a3',
  'Bob: b1',
  'any: n1',
  'Agent: a4',
].join('\n');

function readAll(segments: ScopedSegments): Segment[] {
  const all: Segment[] = [];
  for (let index = 0, segment = segments.at(0); segment; segment = segments.at(++index))
    all.push(segment);
  return all;
}

describe('speaker scopes read turn by turn', () => {
  const item: ScoreItemV1 = { id: '1', text, metadata: {}, results: {} };
  const textsOf = (speaker: string) =>
    readAll(new ScopedSegments(item, { speaker })).map((segment) => segment.text);

  it('keep the turns of every name that stands for the speaker, as scopeSegments does', () => {
    for (const speaker of ['caller', 'Customer', 'client', 'agent', 'REP', 'representative']) {
      expect(readAll(new ScopedSegments(item, { speaker })), speaker).toEqual(
        scopeSegments(item, { speaker }),
      );
    }
    expect(textsOf('customer')).toEqual(['c1', 'c2', 'c3']);
    expect(textsOf('rep')).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('keep other names as written, ignoring case, and every turn for any', () => {
    expect(textsOf('BOB')).toEqual(['b1']);
    expect(textsOf('nobody')).toEqual([]);
    expect(textsOf('any')).toHaveLength(10);
    expect(textsOf('Any')).toEqual(textsOf('any'));
  });
});
