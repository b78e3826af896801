import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorMessage, RunStoreError } from './errors.js';

/** What each file-system error code means, in the words a message uses. */
const meanings: Record<string, string> = {
  EROFS: 'read-only: the file system is mounted read-only',
  EACCES: 'no permission: this user may not write or read there',
  EPERM: 'no permission: the operation is not permitted (an immutable file or folder?)',
  ENOSPC: 'disk full: no space left on the device',
  EDQUOT: 'disk full: the disk quota is used up',
  EFBIG: 'disk full: the file reached the size limit of the file system or of the process',
  ENOENT: 'does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
};

/** A file or folder could not be read or written: `code` and `path` say which and why. */
export class FileSystemError extends RunStoreError {
  readonly code: string | undefined;
  readonly path: string;

  constructor(message: string, options: { code?: string; path: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.path = options.path;
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Why a folder cannot be made under `path` when the system said ENOENT: Node's recursive `mkdir`
 * reports ENOENT where the real cause is a read-only or forbidden parent. Looks at the nearest
 * existing parent and returns the error writing into it gives, if any.
 */
function cannotWriteUnder(path: string): { code: string; at: string } | undefined {
  const stat = (at: string) => {
    try {
      return statSync(at, { throwIfNoEntry: false });
    } catch {
      return undefined; // ENOTDIR: a parent is a file
    }
  };
  let folder = resolve(path);
  let found = stat(folder);
  while (!found) {
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
    found = stat(folder);
  }
  if (!found.isDirectory()) return { code: 'ENOTDIR', at: folder };
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = codeOf(error);
    return code ? { code, at: folder } : undefined;
  }
}

/** The meaning of a file-system error code ("read-only", "disk full", ...), if it is one. */
export function fileSystemMeaning(code: string | undefined): string | undefined {
  return code === undefined ? undefined : meanings[code];
}

/**
 * One message for a file-system failure: `cannot <action> <path>: <CODE>: <meaning>`, naming
 * the path, saying what the code means (read-only, no permission, disk full, does not exist) and,
 * with `resume`, the command that continues the run once it is fixed. When writing, an ENOENT is
 * traced to its real cause (a read-only or forbidden parent). Errors that are not
 * file-system errors keep their own message after the action and path.
 */
export function fileSystemError(
  error: unknown,
  path: string,
  action: string,
  options: { resume?: string; reading?: boolean } = {},
): FileSystemError {
  if (error instanceof FileSystemError) return error;
  let code = codeOf(error);
  let where = '';
  if (code === 'ENOENT' && !options.reading) {
    const cause = cannotWriteUnder(path);
    if (cause) {
      code = cause.code;
      where = cause.at === resolve(path) ? '' : ` (at ${cause.at})`;
    }
  }
  const meaning = fileSystemMeaning(code);
  const reason = meaning && code ? `${code}: ${meaning}${where}` : errorMessage(error);
  const resume = options.resume ? `; once fixed, continue with: ${options.resume}` : '';
  return new FileSystemError(`cannot ${action} ${path}: ${reason}${resume}`, {
    code,
    path,
    cause: error,
  });
}
