// The optimizer model's answer is text a server sends back: one that quotes the API key (a
// careless proxy echoing the `Authorization` header) was kept as it came, in the optimizer cache,
// changelog.md and changelog.json. It is redacted before it is kept.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, prizePrompt, project } from './optimize-project.js';

afterEach(closeServers);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

it('keeps no API key an optimizer answer quotes, in any file of the run', async () => {
  const { dir, args, env } = await project([
    {
      candidates: [
        edit(
          prizePrompt,
          `name prize offers as spam (request had Authorization: Bearer ${'sk-test-optimize'})`,
        ),
      ],
    },
  ]);
  const result = await runCli([...args('out'), '--rounds', '1'], env);
  expect(result.code, result.stderr).toBe(0);
  const files = filesUnder(join(dir, 'out'));
  expect(files.some((file) => file.includes('optimizer-cache'))).toBe(true);
  for (const file of files)
    expect(readFileSync(file, 'utf8'), file).not.toContain(env.OPENAI_API_KEY);
  const changelog = readFileSync(join(dir, 'out', 'changelog.md'), 'utf8');
  expect(changelog).toContain('Bearer [redacted]');
});
