// Preloaded with `node --import`: prints the process's peak RSS (KiB) on exit, to stderr.
// On Linux the peak is VmHWM of /proc/self/status: this program's own. `maxRSS` (getrusage) also
// counts the parent's memory copied at fork before exec, so a child of a big parent reported the
// parent's size (issue 28: 1,224 MiB "at 1M items" was load.mjs's buffered dataset).
import { readFileSync, writeSync } from 'node:fs';

function peakKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: getrusage's figure.
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => writeSync(2, `\nPEAK_RSS_KIB ${peakKiB()}\n`));
