import {
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Closes a file once its `AppendFile` is garbage (its name was removed when it was made). */
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // closed already
  }
});

/** Folders of files that could not be removed while open (Windows): removed at exit. */
const leftFolders = new Set<string>();

function removeLeftFolders(): void {
  for (const dir of leftFolders) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // still open: left in the temporary folder
    }
  }
}

/**
 * An unnamed file: made in the temporary folder, its name removed at once (the bytes go when it is
 * closed, a crash leaves nothing). Where a file in use cannot be removed (Windows), it is removed
 * when the process exits.
 */
function unnamedFile(): number {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-view-'));
  const path = join(dir, 'texts');
  const fd = openSync(path, 'w+', 0o600);
  try {
    unlinkSync(path);
    rmdirSync(dir);
  } catch {
    if (leftFolders.size === 0) process.once('exit', removeLeftFolders);
    leftFolders.add(dir);
  }
  return fd;
}

/**
 * Bytes appended to an unnamed temporary file and read back by where they are: the viewer's texts
 * are kept there, not in memory. Where no file can be made (a temporary folder that is not there
 * or read-only) or a write fails (a full disk), the bytes are held in memory, as before.
 */
export class AppendFile {
  private fd = -1;
  private noFile = false;
  private size = 0;
  /** Bytes that could not be written, by where they would be. */
  private readonly held = new Map<number, Buffer>();

  /** Appends a copy of `bytes`; returns where they are. */
  append(bytes: Buffer): number {
    const position = this.size;
    if (!this.write(bytes, position)) this.held.set(position, Buffer.from(bytes));
    this.size += bytes.length;
    return position;
  }

  /** The `length` bytes at `position` (read into `buffer`, at least as long, or held). */
  read(position: number, length: number, buffer: Buffer): Buffer {
    const held = this.held.get(position);
    if (held) return held.subarray(0, length);
    let read = 0;
    while (read < length) {
      const got = readSync(this.fd, buffer, read, length - read, position + read);
      if (got === 0) throw new Error("the viewer's text file was cut short");
      read += got;
    }
    return buffer.subarray(0, length);
  }

  private write(bytes: Buffer, position: number): boolean {
    if (this.fd === -1 && !this.noFile) {
      try {
        this.fd = unnamedFile();
        openFiles.register(this, this.fd);
      } catch {
        this.noFile = true;
      }
    }
    if (this.fd === -1) return false;
    try {
      let written = 0;
      while (written < bytes.length)
        written += writeSync(this.fd, bytes, written, bytes.length - written, position + written);
      return true;
    } catch {
      return false;
    }
  }
}
