// `plexus optimize` on a score that fails on every item (its endpoint refuses each request): it
// stops before the optimizer is paid, saying so, where it asked the optimizer for prompts to fix
// answers the score never gave and ended "no significant improvement".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@plexus/classifier-llm/testing';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, prizePrompt, project } from './optimize-project.js';

afterEach(closeServers);

it('stops before the optimizer is asked when the score failed on every train item', async () => {
  const { dir, args, env, server } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
  ]);
  // The scored model's endpoint answers every request 400 (the optimizer's is the project's).
  const refusing = await startTestServer({ echoAuthorization: 'error' });
  try {
    const card = join(dir, 'spam.yaml');
    writeFileSync(card, readFileSync(card, 'utf8').replace(server.url, refusing.url));
    const result = await runCli(args('out'), env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the score "Spam" failed on every one of the 57 train items \(.+\): a prompt cannot fix that, so the optimizer was not asked/,
    );
    // Neither the optimizer nor validation: the project's server got no request at all.
    expect(server.stats.requests).toBe(0);
    expect(refusing.stats.requests).toBeGreaterThanOrEqual(57);
    expect(result.stdout).not.toContain('no significant improvement');
  } finally {
    await refusing.close();
  }
});
