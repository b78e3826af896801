import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The path of Debian's Chromium, installing it with apt-get when it is missing and this process
 * may (root). Tests that need a real browser call it in their setup; it throws with the command
 * to run when it cannot install.
 */
export function findChromium(): string {
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  if (process.getuid?.() === 0) {
    execFileSync(
      'sh',
      [
        '-c',
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
      ],
      {
        stdio: 'ignore',
        timeout: 600_000,
      },
    );
    const installed = candidates.find((path) => existsSync(path));
    if (installed) return installed;
  }
  throw new Error(
    'Chromium is needed for the report tests: install it with `apt-get install chromium`',
  );
}
