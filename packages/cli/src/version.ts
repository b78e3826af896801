import { readFileSync } from 'node:fs';

/** The CLI's version, as its package.json says (beside `src/` and `dist/` alike). */
export function cliVersion(): string {
  const manifest = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
