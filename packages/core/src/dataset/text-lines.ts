const newline = 10; // \n
const carriageReturn = 13; // \r

/**
 * Splits text that arrives in chunks into lines ending at \n, \r\n or \r (a \r\n split between
 * two chunks is one line end). Lines are found with `indexOf`, not a regular expression or a loop
 * over characters; a chunk without a \r (most files) is searched for \n only. Only each new chunk
 * is searched for a line end and the pieces of a long line are joined once: linear in its size.
 */
export class LineSplitter {
  /** The start of a line that no chunk has ended yet. */
  private pieces: string[] = [];
  /** The last chunk ended with a \r: a \n starting the next one belongs to it. */
  private afterReturn = false;
  /** Lines ended so far (1-based number of the last one). */
  private count = 0;

  /** Calls `onLine(text, lineNumber)` for each line the chunk completes. */
  push(chunk: string, onLine: (text: string, line: number) => void): void {
    let start = 0;
    if (this.afterReturn) {
      this.afterReturn = false;
      if (chunk.charCodeAt(0) === newline) start = 1;
    }
    // Where the next \r and \n are (-1: none left in this chunk), each searched for again only
    // once passed: a chunk with one kind of line end is not searched to its end for the other per line.
    let returnAt = chunk.indexOf('\r', start);
    let newlineAt = chunk.indexOf('\n', start);
    while (start < chunk.length) {
      if (returnAt !== -1 && returnAt < start) returnAt = chunk.indexOf('\r', start);
      if (newlineAt !== -1 && newlineAt < start) newlineAt = chunk.indexOf('\n', start);
      const end =
        returnAt === -1 ? newlineAt : newlineAt === -1 ? returnAt : Math.min(newlineAt, returnAt);
      if (end === -1) break;
      let text = chunk.slice(start, end);
      if (this.pieces.length > 0) {
        this.pieces.push(text);
        text = this.pieces.join('');
        this.pieces = [];
      }
      this.count += 1;
      onLine(text, this.count);
      start = end + 1;
      if (chunk.charCodeAt(end) === carriageReturn) {
        if (start === chunk.length) this.afterReturn = true;
        else if (chunk.charCodeAt(start) === newline) start += 1;
      }
    }
    if (start < chunk.length) this.pieces.push(start === 0 ? chunk : chunk.slice(start));
  }

  /** Calls `onLine` for the last line when the text did not end with a line end. */
  end(onLine: (text: string, line: number) => void): void {
    const rest = this.pieces.join('');
    this.pieces = [];
    if (rest !== '') {
      this.count += 1;
      onLine(rest, this.count);
    }
  }
}
