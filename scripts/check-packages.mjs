// publint and @arethetypeswrong/cli (ESM-only profile) on every published package, from the
// tarballs pnpm would publish. Run after the build (pnpm test runs it last).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const packs = mkdtempSync(join(tmpdir(), 'plexus-check-'));
let problems = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const { messages } = await publint({
    pkgDir: dir,
    level: 'suggestion',
    pack: 'pnpm',
    strict: true,
  });
  for (const message of messages) {
    problems += 1;
    console.error(`${manifest.name}: publint ${message.type}: ${formatMessage(message, manifest)}`);
  }
  execFileSync('pnpm', ['pack', '--pack-destination', packs], { cwd: dir, stdio: 'ignore' });
  const tarball = readdirSync(packs).find((file) =>
    file.startsWith(`${manifest.name.replace('@', '').replace('/', '-')}-`),
  );
  try {
    execFileSync(
      join(root, 'node_modules/.bin/attw'),
      [join(packs, tarball), '--profile', 'esm-only', '--format', 'ascii'],
      { encoding: 'utf8' },
    );
  } catch (error) {
    problems += 1;
    console.error(`${manifest.name}: attw:\n${error.stdout ?? error.message}`);
  }
  console.log(`${manifest.name}: publint and attw ok`);
}
if (problems > 0) {
  console.error(`${problems} packaging problems`);
  process.exit(1);
}
