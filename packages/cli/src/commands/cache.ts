import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  type CacheFolderStats,
  cacheFolderStats,
  cacheFolders,
  compactCacheFolder,
  defaultCacheDir,
  InvalidConfigError,
  parseSize,
} from '@plexus/core';
import type { Command } from 'commander';
import type { CliIo } from '../output.js';

interface CacheFlags {
  cacheDir?: string;
  json?: boolean;
  maxSize?: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function statsLine(stats: CacheFolderStats): string {
  return `${basename(stats.folder)}: ${stats.entries.toLocaleString('en-US')} entries, ${stats.lines.toLocaleString('en-US')} lines in ${stats.logs} log file(s), ${megabytes(stats.bytes)}`;
}

/** The cache folders (`results`, `llm-responses`) of `--cache-dir`; an error when there are none. */
function foldersOf(flags: CacheFlags): string[] {
  const dir = flags.cacheDir ?? defaultCacheDir();
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new InvalidConfigError([
      {
        path: '--cache-dir',
        message: `${dir} is a file, not a cache folder: give the folder runs used as --cache-dir`,
      },
    ]);
  const folders = cacheFolders(dir);
  if (folders.length === 0)
    throw new InvalidConfigError([
      {
        path: '--cache-dir',
        message: `${dir} holds no cache (no folder with a log/): give the folder runs used as --cache-dir`,
      },
    ]);
  return folders;
}

/** `plexus cache stats|compact|prune`: the result and LLM response caches of a cache folder. */
export function cacheCommand(program: Command, io: CliIo): void {
  const cache = program
    .command('cache')
    .description('the result and LLM response caches: sizes, compaction, pruning');
  const cacheDir = [
    '--cache-dir <dir>',
    'cache folder; default $PLEXUS_CACHE_DIR or ~/.cache/plexus',
  ] as const;

  cache
    .command('stats')
    .description('entries, log files and bytes of each cache folder')
    .option(...cacheDir)
    .option('--json', 'print the figures as JSON')
    .action((flags: CacheFlags) => {
      const stats = foldersOf(flags).map(cacheFolderStats);
      if (flags.json) io.stdout(`${JSON.stringify(stats, null, 2)}\n`);
      else for (const entry of stats) io.stdout(`${statsLine(entry)}\n`);
    });

  cache
    .command('compact')
    .description(
      'merge the log files of each cache folder into one, keeping the last entry of each key (logs written in the last minute, which a run may be writing, are left alone)',
    )
    .option(...cacheDir)
    .action((flags: CacheFlags) => {
      for (const folder of foldersOf(flags)) {
        const result = compactCacheFolder(folder);
        if (result.left)
          io.stdout(`${statsLine(result.before)}\n  left as it is: ${result.left}\n`);
        else io.stdout(`${statsLine(result.before)}\n  -> ${statsLine(result.after)}\n`);
      }
    });

  cache
    .command('prune')
    .description(
      'compact, and drop the oldest entries of each cache folder until it holds at most --max-size',
    )
    .requiredOption('--max-size <size>', 'bytes per cache folder at most: 500MB, 10GB, 1.5G, 2048')
    .option(...cacheDir)
    .action((flags: CacheFlags) => {
      const maxBytes = parseSize(flags.maxSize ?? '');
      if (maxBytes === undefined)
        throw new InvalidConfigError([
          {
            path: '--max-size',
            message: `${flags.maxSize} is not a size: write 500MB, 10GB or a number of bytes`,
          },
        ]);
      for (const folder of foldersOf(flags)) {
        const result = compactCacheFolder(folder, { maxBytes });
        if (result.left) {
          io.stdout(`${statsLine(result.before)}\n  left as it is: ${result.left}\n`);
          continue;
        }
        io.stdout(
          `${statsLine(result.before)}\n  -> ${statsLine(result.after)} (${result.dropped.toLocaleString('en-US')} oldest entries dropped)\n`,
        );
      }
    });
}
