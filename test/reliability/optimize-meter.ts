// A meter in front of the optimize tests' test server: every chat request passes through it, and
// it adds up what the server reported (tokens, priced by hand) independently of Plexus's counts.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';

export interface Meter {
  url: string;
  /** Answered requests, and their tokens as the server reported them. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Every request body sent through it, as text. */
  bodies: string[];
  /** Dollars at $1 input and $2 output per million tokens (the projects' prices). */
  usd(): number;
  close(): Promise<void>;
}

/** A proxy to `target` (the test server's url) that counts every answered request's usage. */
export async function startMeter(target: string): Promise<Meter> {
  const to = new URL(target);
  const meter = {
    url: '',
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    bodies: [] as string[],
    usd: () => (meter.inputTokens * 1 + meter.outputTokens * 2) / 1_000_000,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      {
        host: to.hostname,
        port: to.port,
        method: incoming.method,
        path: `${to.pathname.replace(/\/$/, '')}${incoming.url!.replace(/^\/v1/, '')}`,
        headers: incoming.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const usage = (
            JSON.parse(body.toString()) as {
              usage?: { prompt_tokens: number; completion_tokens: number };
            }
          ).usage;
          meter.requests += 1;
          meter.inputTokens += usage?.prompt_tokens ?? 0;
          meter.outputTokens += usage?.completion_tokens ?? 0;
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          outgoing.end(body);
        });
      },
    );
    const sent: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => sent.push(chunk));
    incoming.on('end', () => meter.bodies.push(Buffer.concat(sent).toString()));
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  meter.url = `http://127.0.0.1:${address.port}/v1`;
  return meter;
}

/** The project's scorecard and arguments pointed at the meter instead of the server. */
export function throughMeter(dir: string, serverUrl: string, meterUrl: string, args: string[]) {
  const card = join(dir, 'spam.yaml');
  writeFileSync(card, readFileSync(card, 'utf8').replace(serverUrl, meterUrl));
  return args.map((arg) => (arg === serverUrl ? meterUrl : arg));
}
