import { describe, expect, it } from 'vitest';
import { fieldValue, numericField, numericValue } from './metadata-values.js';

describe('fieldValue', () => {
  it('reads own fields by plain name or dotted path, never inherited ones', () => {
    const record = JSON.parse('{"duration":"61.5","call":{"agent":{"name":"Ann"}},"__proto__":7}');
    expect(fieldValue(record, 'duration')).toBe('61.5');
    expect(fieldValue(record, 'call.agent.name')).toBe('Ann');
    expect(fieldValue(record, '__proto__')).toBe(7);
    for (const path of ['toString', 'call.toString', 'missing', 'duration.length', 'call.agent.x'])
      expect(fieldValue(record, path)).toBeUndefined();
    expect(fieldValue({ a: null }, 'a.b')).toBeUndefined();
  });

  it('numericField takes numeric strings as CSV gives them and names what is wrong', () => {
    expect(numericField({ d: ' 61.5 ' }, 'd')).toEqual({ value: 61.5 });
    expect(numericField({ d: '' }, 'd')).toEqual({ problem: 'metadata field "d" is missing' });
    expect(numericField({ d: 'long' }, 'd')).toEqual({
      problem: 'metadata field "d" is not a number ("long")',
    });
  });

  it('numericValue reads decimal text only: not 0x20 (32 to Number), 0b11, 0o7 or Infinity', () => {
    for (const [text, value] of [
      ['12', 12],
      ['-0.5', -0.5],
      ['.5', 0.5],
      ['5.', 5],
      ['1e3', 1000],
      ['+2E-1', 0.2],
      [' 7 ', 7],
    ] as const)
      expect(numericValue(text), text).toBe(value);
    for (const text of [
      '0x20',
      '0b11',
      '0o7',
      'Infinity',
      '1e400',
      '1_000',
      '1,5',
      '',
      ' ',
      '.',
      '-',
    ])
      expect(numericValue(text), text).toBeUndefined();
    expect(numericField({ d: '0x20' }, 'd')).toEqual({
      problem: 'metadata field "d" is not a number ("0x20")',
    });
  });
});
