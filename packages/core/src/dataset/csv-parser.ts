/** A parsed CSV record, or a malformed one reported with its first line. */
export type CsvEvent =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'error'; line: number; message: string };

const quote = 34; // "
const comma = 44; // ,
const newline = 10; // \n
const carriageReturn = 13; // \r

/**
 * Where the parser is between two characters: at the start of a field, inside an unquoted or a
 * quoted one, just after a quote inside a quoted field (a "" escape or the closing quote), just
 * after a \r that ended a record (a \n may follow), or skipping the rest of a malformed line.
 */
type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'afterReturn' | 'skipLine';

/**
 * Streaming RFC 4180 parser: quoted fields with "" escapes and embedded newlines, CRLF or LF,
 * a leading BOM. A malformed record (text after a closing quote, a quote never closed) is reported
 * with its line and parsing resumes on the next line, so one bad row never swallows the rest.
 *
 * Each character is looked at once: the state is kept between chunks, so a field of any length
 * is read in time proportional to its size (re-scanning a quoted field on every chunk made a
 * 50 MB field take minutes). Lines without quotes take a fast path (`plainLines`).
 */
export class CsvParser {
  private state: State = 'fieldStart';
  private fields: string[] = [];
  /** The field being read so far (V8 joins the pieces of a long field once, when it is used). */
  private value = '';
  /** The line being read, and the line the current record started on. */
  private line = 1;
  private recordLine = 1;
  private first = true;
  private events: CsvEvent[] = [];
  /** In the chunk being read: where the next \n, quote and \r are (-1: none left in it). */
  private newlineAt = -1;
  private quoteAt = -1;
  private returnAt = -1;

  /** Feeds a chunk; returns the records completed by it. */
  push(chunk: string): CsvEvent[] {
    let text = chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    this.newlineAt = text.indexOf('\n');
    this.quoteAt = text.indexOf('"');
    this.returnAt = text.indexOf('\r');
    let position = 0;
    while (position < text.length) {
      if (this.state === 'fieldStart' && this.fields.length === 0) {
        const next = this.plainLines(text, position);
        if (next !== position) {
          position = next;
          continue;
        }
      }
      position = this.step(text, position);
    }
    return this.take();
  }

  /**
   * The fast path, at the start of a record: whole lines without a quote (ending at \n or \r\n)
   * split at their commas, found with `indexOf`. Returns where the first line it cannot read
   * this way starts (one with a quote, a lone \r, or no line end in this chunk yet), for `step`.
   */
  private plainLines(text: string, position: number): number {
    let start = position;
    for (;;) {
      if (this.newlineAt !== -1 && this.newlineAt < start)
        this.newlineAt = text.indexOf('\n', start);
      if (this.quoteAt !== -1 && this.quoteAt < start) this.quoteAt = text.indexOf('"', start);
      if (this.returnAt !== -1 && this.returnAt < start) this.returnAt = text.indexOf('\r', start);
      const end = this.newlineAt;
      if (end === -1 || (this.quoteAt !== -1 && this.quoteAt < end)) return start;
      let contentEnd = end;
      if (this.returnAt !== -1 && this.returnAt < end) {
        if (this.returnAt !== end - 1) return start;
        contentEnd = end - 1;
      }
      if (contentEnd > start)
        this.events.push({
          kind: 'record',
          line: this.recordLine,
          fields: text.slice(start, contentEnd).split(','),
        });
      this.line += 1;
      this.recordLine = this.line;
      start = end + 1;
    }
  }

  /** Returns the last record, if the input did not end with a newline, or the unclosed quote. */
  end(): CsvEvent[] {
    if (this.state === 'quoted') {
      const line = this.recordLine;
      this.events.push({
        kind: 'error',
        line,
        message: `quote opened on line ${line} is never closed; the rest of the file (from line ${line}) was not read`,
      });
    } else if (this.state === 'unquoted' || this.state === 'quoteInQuoted') {
      this.endField();
      this.endRecord();
    } else if (this.state === 'fieldStart' && this.fields.length > 0) {
      this.endField(); // a trailing comma: one more, empty, field
      this.endRecord();
    }
    this.state = 'fieldStart';
    return this.take();
  }

  private take(): CsvEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /** Reads from `position` in the current state; returns where the next step starts. */
  private step(text: string, position: number): number {
    switch (this.state) {
      case 'fieldStart':
        if (text.charCodeAt(position) === quote) {
          this.state = 'quoted';
          return this.quoted(text, position + 1);
        }
        this.state = 'unquoted';
        return this.unquoted(text, position);
      case 'unquoted':
        return this.unquoted(text, position);
      case 'quoted':
        return this.quoted(text, position);
      case 'quoteInQuoted':
        return this.afterQuote(text, position);
      case 'afterReturn':
        this.state = 'fieldStart';
        return text.charCodeAt(position) === newline ? position + 1 : position;
      case 'skipLine': {
        const end = text.indexOf('\n', position);
        if (end === -1) return text.length;
        this.line += 1;
        this.recordLine = this.line;
        this.state = 'fieldStart';
        return end + 1;
      }
    }
  }

  private unquoted(text: string, position: number): number {
    let cursor = position;
    while (cursor < text.length) {
      const code = text.charCodeAt(cursor);
      if (code === comma || code === newline || code === carriageReturn) break;
      cursor += 1;
    }
    if (cursor > position) this.value += text.slice(position, cursor);
    if (cursor >= text.length) return cursor;
    this.endField();
    return this.separator(text, cursor);
  }

  private quoted(text: string, position: number): number {
    const next = text.indexOf('"', position);
    const stop = next === -1 ? text.length : next;
    if (stop > position) this.value += text.slice(position, stop);
    this.line += countLines(text, position, stop);
    if (next === -1) return text.length;
    this.state = 'quoteInQuoted';
    return next + 1 < text.length ? this.afterQuote(text, next + 1) : next + 1;
  }

  /** After a quote inside a quoted field: "" is one quote; a separator ends the field. */
  private afterQuote(text: string, position: number): number {
    const code = text.charCodeAt(position);
    if (code === quote) {
      this.value += '"';
      this.state = 'quoted';
      return position + 1;
    }
    if (code === comma || code === newline || code === carriageReturn) {
      this.endField();
      return this.separator(text, position);
    }
    this.events.push({
      kind: 'error',
      line: this.recordLine,
      message: `unexpected "${text[position]}" after a closing quote on line ${this.line}; quote the whole field and double inner quotes ("")`,
    });
    this.fields = [];
    this.value = '';
    this.state = 'skipLine';
    return position;
  }

  /** Handles the comma, \n or \r at `position`, just after a field ended. */
  private separator(text: string, position: number): number {
    const code = text.charCodeAt(position);
    if (code === comma) {
      this.state = 'fieldStart';
      return position + 1;
    }
    this.endRecord();
    this.line += 1;
    this.recordLine = this.line;
    this.state = code === carriageReturn ? 'afterReturn' : 'fieldStart';
    return position + 1;
  }

  private endField(): void {
    this.fields.push(this.value);
    this.value = '';
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    if (fields.length === 1 && fields[0] === '') return; // blank line
    this.events.push({ kind: 'record', line: this.recordLine, fields });
  }
}

function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (
    let index = text.indexOf('\n', from);
    index !== -1 && index < to;
    index = text.indexOf('\n', index + 1)
  ) {
    count += 1;
  }
  return count;
}
