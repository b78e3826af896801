import { writeSync } from 'node:fs';

/** Bytes a buffer starts with: 256 lines of a rules run (about 550 bytes each) fit. */
const initialBytes = 1 << 18;

/**
 * Lines waiting for one write, as UTF-8 bytes outside the JavaScript heap: a waiting line is not a
 * string the garbage collector copies at every young-generation collection until the write (a rules
 * run appends 600,000 lines), and the write is one copy of bytes, not a joined string re-encoded.
 */
export class LineBuffer {
  private bytes = Buffer.allocUnsafe(initialBytes);
  private used = 0;
  /** Lines waiting. */
  count = 0;

  /** Adds a line (without its newline: the buffer ends it). */
  push(line: string): void {
    // A UTF-16 code unit takes 3 UTF-8 bytes at most.
    const room = line.length * 3 + 1;
    if (this.used + room > this.bytes.length) this.grow(this.used + room);
    this.used += this.bytes.write(line, this.used);
    this.bytes[this.used] = 0x0a;
    this.used += 1;
    this.count += 1;
  }

  private grow(needed: number): void {
    const larger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(larger, 0, 0, this.used);
    this.bytes = larger;
  }

  /** Writes the waiting lines to `fd` (all of them: a short write goes on) and empties the buffer. */
  writeTo(fd: number): void {
    let written = 0;
    try {
      while (written < this.used)
        written += writeSync(fd, this.bytes, written, this.used - written);
    } finally {
      // What was written is not written again; what was not is dropped with the error, as the
      // lines of a failed write always were (a resume scores them again).
      this.used = 0;
      this.count = 0;
    }
  }
}
