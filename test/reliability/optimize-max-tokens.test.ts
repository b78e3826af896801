// `plexus optimize` sent `max_tokens: 8192` (the --optimizer-max-tokens default) on every optimizer
// call, --max-usd or not. A model whose answers are capped lower refuses that with a 400, as
// OpenAI does for gpt-4-turbo (4096), and an optimizer that worked before failed every round.
// Here a gate in front of the test server refuses it the same way, and records what was asked.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './harness.js';
import { closeServers, edit, prizePrompt, project, readLog } from './optimize-project.js';

const gates: Server[] = [];
afterEach(async () => {
  for (const gate of gates.splice(0))
    await new Promise<void>((resolve) => gate.close(() => resolve()));
  await closeServers();
});

/** A proxy to `target` refusing an optimizer request whose answer cap is above 4096 tokens. */
async function startGate(target: string) {
  const to = new URL(target);
  const caps: (number | null)[] = [];
  const gate = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = JSON.parse(body.toString()) as { model?: string; max_tokens?: number };
      if (request.model === 'test-optimizer') caps.push(request.max_tokens ?? null);
      if (request.model === 'test-optimizer' && (request.max_tokens ?? 0) > 4096) {
        outgoing.writeHead(400, { 'content-type': 'application/json' });
        outgoing.end(
          JSON.stringify({
            error: {
              message: `max_tokens is too large: ${request.max_tokens}. This model supports at most 4096 completion tokens, whereas you provided ${request.max_tokens}.`,
              type: 'invalid_request_error',
              param: 'max_tokens',
              code: null,
            },
          }),
        );
        return;
      }
      const forward = httpRequest(
        {
          host: to.hostname,
          port: to.port,
          method: incoming.method,
          path: `${to.pathname.replace(/\/$/, '')}${incoming.url!.replace(/^\/v1/, '')}`,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.end(body);
    });
  });
  gates.push(gate);
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(gate.address() as { port: number }).port}/v1`, caps };
}

async function gated() {
  const setup = await project([{ candidates: [edit(prizePrompt, 'name prize offers')] }]);
  const gate = await startGate(setup.server.url);
  const args = (out: string, extra: string[]) =>
    [...setup.args(out), '--rounds', '1', ...extra].map((arg) =>
      arg === setup.server.url ? gate.url : arg,
    );
  return { ...setup, gate, args };
}

it('sends no answer cap to the optimizer unless --optimizer-max-tokens or --max-usd asks', async () => {
  const { gate, args, env, dir } = await gated();
  const result = await runCli(args('out', []), env);
  expect(result.code, result.stderr).toBe(0);
  // One optimizer call, asked as before --optimizer-max-tokens existed: no max_tokens.
  expect(gate.caps).toEqual([null]);
  expect(readLog(join(dir, 'out')).rounds[0]!.outcome).toBe('accepted');
});

it('sends the cap given, and the default 8192 with --max-usd (its worst case is the bound)', async () => {
  const { gate, args, env, dir } = await gated();
  const given = await runCli(args('given', ['--optimizer-max-tokens', '4000']), env);
  expect(given.code, given.stderr).toBe(0);
  expect(gate.caps).toEqual([4000]);
  // With --max-usd and no cap given, 8192: this model refuses it, and the run says so.
  // (Another cache: the optimizer's answer to the same messages is cached whatever its cap.)
  const budget = await runCli(args('budget', ['--max-usd', '5']), {
    ...env,
    PLEXUS_CACHE_DIR: join(dir, 'cache-budget'),
  });
  expect(gate.caps).toEqual([4000, 8192]);
  expect(budget.code).not.toBe(0);
  expect(budget.stderr).toContain('max_tokens is too large');
});
