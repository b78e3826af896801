import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidConfigError } from '@plexus/core';
import type { Command } from 'commander';
import { wholeNumber } from '../arguments.js';
import type { CliIo } from '../output.js';
import { startViewer } from '../view/server.js';

const loopback = ['127.0.0.1', 'localhost', '::1'];

/** Opens `url` in the desktop's browser; a machine without one is told the address instead. */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser to open: the address is printed
  }
}

export function viewCommand(program: Command, io: CliIo): void {
  program
    .command('view')
    .description(
      'a local web app over a runs folder: the run list, each run (live while it runs), two runs compared, each item',
    )
    .argument('[dir]', 'the runs folder', 'runs')
    .option('--port <n>', 'port to listen on (0: any free port)', wholeNumber('--port', 0), 4173)
    .option(
      '--host <host>',
      'address to bind; another than 127.0.0.1 lets other machines in',
      '127.0.0.1',
    )
    .option('--no-open', 'do not open a browser')
    .action(async (dir: string, flags: { port: number; host: string; open: boolean }) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw new InvalidConfigError([
          {
            path: dir,
            message: `no runs folder here; plexus evaluate writes runs under runs/, or name the folder: plexus view DIR`,
          },
        ]);
      // A run folder (`plexus view runs/v2`) is shown in its runs folder, at its own page.
      const isRun = existsSync(join(dir, 'run.json'));
      const root = isRun ? dirname(resolve(dir)) : resolve(dir);
      const viewer = await startViewer({ root, host: flags.host, port: flags.port }).catch(
        (error: NodeJS.ErrnoException) => {
          const why =
            error.code === 'EADDRINUSE'
              ? `port ${flags.port} is in use; choose another with --port N (0: any free port)`
              : `cannot listen on ${flags.host}:${flags.port} (${error.message})`;
          throw new InvalidConfigError([{ path: '--port', message: why }]);
        },
      );
      const reach = loopback.includes(flags.host)
        ? `bound to ${flags.host}: only this machine can open it`
        : `bound to ${flags.host}: other machines on the network can open it (no password)`;
      const url = isRun
        ? `${viewer.url}run/${encodeURIComponent(basename(resolve(dir)))}`
        : viewer.url;
      const shown = isRun ? `${root} (${dir} is a run folder: its page is opened)` : root;
      io.stdout(`plexus view: ${url}\n  runs folder ${shown}\n  ${reach}\n  Ctrl-C stops it\n`);
      if (flags.open) openBrowser(url);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.off('SIGHUP', stop);
          viewer.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        process.on('SIGHUP', stop);
      });
    });
}
