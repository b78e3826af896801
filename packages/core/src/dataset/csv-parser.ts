/** A parsed CSV record, or a malformed one reported with its first line. */
export type CsvEvent =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'error'; line: number; message: string };

const quote = 34; // "
const comma = 44; // ,
const newline = 10; // \n
const carriageReturn = 13; // \r

/**
 * Streaming RFC 4180 parser: quoted fields with "" escapes and embedded newlines, CRLF or LF,
 * a leading BOM. A malformed record (text after a closing quote, a quote never closed) is reported
 * with its line and parsing resumes on the next line, so one bad row never swallows the rest.
 */
export class CsvParser {
  private buffer = '';
  private line = 1;
  private first = true;

  /** Feeds a chunk; returns the records completed by it. */
  push(chunk: string): CsvEvent[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  /** Returns the last record, if the input did not end with a newline. */
  end(): CsvEvent[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvEvent[] {
    if (this.first && this.buffer.length > 0) {
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
      this.first = false;
    }
    const events: CsvEvent[] = [];
    let position = 0;
    while (position < this.buffer.length) {
      const result = this.record(position, final);
      if (!result) break;
      if (result.event) events.push(result.event);
      position = result.next;
    }
    this.buffer = this.buffer.slice(position);
    return events;
  }

  /** Parses one record at `start`; undefined when more input is needed. */
  private record(start: number, final: boolean): { event?: CsvEvent; next: number } | undefined {
    const text = this.buffer;
    const startLine = this.line;
    const fields: string[] = [];
    let position = start;
    let lines = 0;
    for (;;) {
      if (text.charCodeAt(position) === quote) {
        let value = '';
        let cursor = position + 1;
        for (;;) {
          const next = text.indexOf('"', cursor);
          if (next === -1) {
            if (!final) return undefined;
            return this.skipTo(
              text.length,
              startLine,
              lines + countLines(text, cursor, text.length),
              `quote opened on line ${startLine} is never closed; the rest of the file (from line ${startLine}) was not read`,
            );
          }
          value += text.slice(cursor, next);
          lines += countLines(text, cursor, next);
          if (next + 1 >= text.length && !final) return undefined;
          if (text.charCodeAt(next + 1) === quote) {
            value += '"';
            cursor = next + 2;
            continue;
          }
          position = next + 1;
          break;
        }
        fields.push(value);
        const after = text.charCodeAt(position);
        if (
          position >= text.length ||
          after === comma ||
          after === newline ||
          after === carriageReturn
        ) {
          // fall through to the separator handling below
        } else {
          const lineEnd = text.indexOf('\n', position);
          if (lineEnd === -1 && !final) return undefined;
          const stop = lineEnd === -1 ? text.length : lineEnd + 1;
          return this.skipTo(
            stop,
            startLine,
            lines + (lineEnd === -1 ? 0 : 1),
            `unexpected "${text[position]}" after a closing quote on line ${startLine + lines}; quote the whole field and double inner quotes ("")`,
          );
        }
      } else {
        let cursor = position;
        while (cursor < text.length) {
          const code = text.charCodeAt(cursor);
          if (code === comma || code === newline || code === carriageReturn) break;
          cursor += 1;
        }
        if (cursor >= text.length && !final) return undefined;
        fields.push(text.slice(position, cursor));
        position = cursor;
      }
      const separator = text.charCodeAt(position);
      if (separator === comma) {
        position += 1;
        continue;
      }
      if (position >= text.length) {
        this.line = startLine + lines;
        return { event: this.event(fields, startLine), next: position };
      }
      if (separator === carriageReturn) {
        if (position + 1 >= text.length && !final) return undefined;
        position += text.charCodeAt(position + 1) === newline ? 2 : 1;
      } else {
        position += 1;
      }
      this.line = startLine + lines + 1;
      return { event: this.event(fields, startLine), next: position };
    }
  }

  private event(fields: string[], line: number): CsvEvent | undefined {
    if (fields.length === 1 && fields[0] === '') return undefined; // blank line
    return { kind: 'record', line, fields };
  }

  private skipTo(next: number, line: number, lines: number, message: string) {
    this.line = line + lines;
    return { event: { kind: 'error' as const, line, message }, next };
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
