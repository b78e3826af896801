#!/usr/bin/env node
import { main } from './main.js';

// `plexus predict ... | head`: the reader closed the pipe. Stop quietly, as Unix tools do, instead
// of a stack trace (a run's files are written before its summary is printed).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
