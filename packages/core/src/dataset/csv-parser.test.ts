import { describe, expect, it } from 'vitest';
import { type CsvEvent, CsvParser } from './csv-parser.js';

function parseAll(text: string, chunkSize = text.length): CsvEvent[] {
  const parser = new CsvParser();
  const events: CsvEvent[] = [];
  for (let index = 0; index < text.length; index += chunkSize) {
    events.push(...parser.push(text.slice(index, index + chunkSize)));
  }
  events.push(...parser.end());
  return events;
}

const sample =
  '\uFEFFid,text,label\r\n1,"hello, ""world""",yes\r\n2,"multi\nline",no\n3,bad,row,extra\n4,"unterminated "x" quote,no\n5,ok,yes\n\n6,"never closed,yes\n7,x,no\n';

describe('CsvParser', () => {
  it('parses quotes, escaped quotes, embedded newlines, CRLF and a BOM', () => {
    const events = parseAll('\uFEFFa,b\r\n"x,1","say ""hi"""\r\n"two\nlines",3');
    expect(events).toEqual([
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['x,1', 'say "hi"'] },
      { kind: 'record', line: 3, fields: ['two\nlines', '3'] },
    ]);
  });

  it('reports a bad closing quote with its line and keeps the rows after it', () => {
    const events = parseAll(sample);
    const records = events
      .filter((event) => event.kind === 'record')
      .map((event) => [event.line, event.fields[0]]);
    // Line 5 has an extra field (checked later against the header); line 7 follows the bad row.
    expect(records).toEqual([
      [1, 'id'],
      [2, '1'],
      [3, '2'],
      [5, '3'],
      [7, '5'],
    ]);
    const errors = events.filter((event) => event.kind === 'error');
    expect(errors.map((event) => event.line)).toEqual([6, 9]);
    expect(errors[0]!.kind === 'error' && errors[0]!.message).toMatch(
      /after a closing quote on line 6/,
    );
    expect(errors[1]!.kind === 'error' && errors[1]!.message).toMatch(/never closed/);
  });

  it('gives the same events whatever the chunk size', () => {
    const whole = parseAll(sample);
    for (const size of [1, 2, 3, 7, 16]) expect(parseAll(sample, size)).toEqual(whole);
  });

  it('keeps its state between chunks: CR line ends, a trailing comma, a quote split from its pair', () => {
    const text = 'a,b\r"x""y",\rq,"1\n2"""\r\n\r\nlast,';
    const expected: CsvEvent[] = [
      { kind: 'record', line: 1, fields: ['a', 'b'] },
      { kind: 'record', line: 2, fields: ['x"y', ''] },
      { kind: 'record', line: 3, fields: ['q', '1\n2"'] },
      { kind: 'record', line: 6, fields: ['last', ''] },
    ];
    for (const size of [1, 2, 3, 5, text.length]) expect(parseAll(text, size)).toEqual(expected);
  });

  it('reads a 5 MB quoted field fed in 64 KB chunks as one field', () => {
    const field = 'say ""hi"", then\n'.repeat(300_000);
    const events = parseAll(`id,text\nbig,"${field}"\nnext,x\n`, 1 << 16);
    expect(events.map((event) => event.line)).toEqual([1, 2, 300_003]);
    const record = events[1]!;
    expect(record.kind === 'record' && record.fields[1]).toBe(field.replace(/""/g, '"'));
  });
});
