import { readSync } from 'node:fs';

/** Bytes read from a file at a time. */
const chunkBytes = 4 * 1024 * 1024;

/**
 * Calls `visit` with each whole line (ending in a newline) of the open file `fd` from byte `from`
 * to `size`: the buffer, the line's start and end in it, and where it starts in the file. Returns
 * where the lines read end (an unfinished last line, a live run's, is left for the next call).
 * One buffer is read into, the line a chunk cuts moved to its front (a buffer per chunk, 440 for
 * a 1.8 GB file, left the heap fragmented); a line longer than the buffer grows it.
 */
export function eachWholeLine(
  fd: number,
  from: number,
  size: number,
  visit: (buffer: Buffer, start: number, end: number, offset: number) => void,
): number {
  let buffer = Buffer.allocUnsafe(2 * chunkBytes);
  let carried = 0;
  let position = from;
  let done = from;
  while (position < size) {
    if (buffer.length - carried < chunkBytes) {
      const grown = Buffer.allocUnsafe(2 * buffer.length);
      buffer.copy(grown, 0, 0, carried);
      buffer = grown;
    }
    const read = readSync(
      fd,
      buffer,
      carried,
      Math.min(buffer.length - carried, size - position),
      position,
    );
    if (read === 0) break;
    const end = carried + read;
    const bufferStart = position - carried;
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline !== -1 && newline < end; ) {
      if (newline > start) visit(buffer, start, newline, bufferStart + start);
      start = newline + 1;
      newline = buffer.indexOf(10, start);
    }
    buffer.copy(buffer, 0, start, end);
    carried = end - start;
    position += read;
    done = bufferStart + start;
  }
  return done;
}
