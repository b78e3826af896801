// Preloaded with `node --import`: prints the process's peak RSS (KiB) on exit, to stderr.
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(2, `\nPEAK_RSS_KIB ${process.resourceUsage().maxRSS}\n`));
