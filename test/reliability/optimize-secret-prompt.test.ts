// The optimizer sees the scorecard: a credential in it (a gateway key in base_url's query, as
// some gateways take it) was sent to the optimizer model, a third party, with the prompt.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { startMeter } from './optimize-meter.js';
import { closeServers, edit, prizePrompt, project } from './optimize-project.js';

afterEach(closeServers);

it('sends the optimizer the scorecard without its credentials, and keeps them in the new version', async () => {
  const { server, args, env, dir } = await project([
    { candidates: [edit(prizePrompt, 'name prize offers as spam')] },
  ]);
  const card = join(dir, 'spam.yaml');
  const keyed = `${server.url}?api-key=gw-s3cret-9431`;
  writeFileSync(
    card,
    readFileSync(card, 'utf8').replace(`base_url: ${server.url}`, `base_url: "${keyed}"`),
  );
  const meter = await startMeter(server.url);
  const given = args('out').map((arg) => (arg === server.url ? meter.url : arg));
  const result = await runCli([...given, '--rounds', '1'], env);
  await meter.close();
  expect(result.code, result.stderr).toBe(0);
  const asked = meter.bodies.filter((body) => body.includes('PLEXUS-OPTIMIZER-REQUEST'));
  expect(asked).toHaveLength(1);
  expect(asked[0]).toContain('base_url');
  // Before: the request held base_url with the key.
  expect(asked[0]).not.toContain('gw-s3cret-9431');
  const version = readFileSync(join(dir, 'out', 'spam.v2.yaml'), 'utf8');
  expect(version).toContain('gw-s3cret-9431');
}, 120_000);
