// publint and @arethetypeswrong/cli (ESM-only profile) on every published package, from the
// tarball pnpm would publish: each package is packed once and both tools read that tarball. Two
// packages are checked at a time (the machines have 2 cores). Run after the build (pnpm test runs
// it as the turbo task //#lint:packages, once the packages are built, beside the tests).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const packs = mkdtempSync(join(tmpdir(), 'plexus-check-'));
const parallel = 2;

/** The problems of one package (empty when publint and attw find none). */
async function checkPackage(name) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) return [];
  const destination = mkdtempSync(join(packs, `${name}-`));
  await run('pnpm', ['pack', '--pack-destination', destination], { cwd: dir });
  const tarball = join(destination, readdirSync(destination)[0]);
  const bytes = readFileSync(tarball);
  const { messages } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  const problems = messages.map(
    (message) => `${manifest.name}: publint ${message.type}: ${formatMessage(message, manifest)}`,
  );
  try {
    await run(
      join(root, 'node_modules/.bin/attw'),
      [tarball, '--profile', 'esm-only', '--format', 'ascii'],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    problems.push(`${manifest.name}: attw:\n${error.stdout ?? error.message}`);
  }
  if (problems.length === 0) console.log(`${manifest.name}: publint and attw ok`);
  return problems;
}

const names = readdirSync(join(root, 'packages')).sort();
const problems = [];
for (let start = 0; start < names.length; start += parallel) {
  const batch = names.slice(start, start + parallel);
  for (const found of await Promise.all(batch.map(checkPackage))) problems.push(...found);
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} packaging problems`);
  process.exit(1);
}
