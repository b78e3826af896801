import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { registerModel } from './model-registry.js';

// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');

/** A link to the real server that answers the first `model-versions/create` after `lateMs`. */
async function lateLink(lateMs: number): Promise<{ uri: string; close: () => void }> {
  let delayed = 0;
  const link = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const upstream = request(
        `${server.uri}${incoming.url}`,
        { method: incoming.method, headers: incoming.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const send = () => {
              if (outgoing.destroyed) return;
              outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
              outgoing.end(Buffer.concat(body));
            };
            const late = incoming.url?.includes('model-versions/create') && delayed++ === 0;
            if (late) setTimeout(send, lateMs);
            else send();
          });
        },
      );
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => link.listen(0, '127.0.0.1', resolve));
  const { port } = link.address() as AddressInfo;
  return { uri: `http://127.0.0.1:${port}`, close: () => link.close() };
}

it('a version created but answered too late is that version, not registered again', async () => {
  const link = await lateLink(1500);
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'plexus-mlflow-late-')), 'model.json');
    writeFileSync(file, JSON.stringify({ format: 'plexus-forest', version: 1, trees: [] }));
    const client = new MlflowClient({ trackingUri: link.uri, timeoutMs: 1000, retryDelayMs: 50 });
    const version = await registerModel({ client, file, name: 'late-answer', alias: 'champion' });
    // The create timed out and was sent again: versions 1 and 2, and 2 returned.
    expect(version.version).toBe('1');
    const direct = new MlflowClient({ trackingUri: server.uri });
    const versions = await direct.searchModelVersions('late-answer');
    expect(versions.map((entry) => entry.version)).toEqual(['1']);
  } finally {
    link.close();
  }
});
