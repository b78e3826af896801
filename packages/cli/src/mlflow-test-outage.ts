// Test helpers for an MLflow outage in the middle of a run: a score that holds the run open
// until told, and a link to the server that can be cut and restored as a crash and a restart look
// to a client.
import { mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';

/**
 * Writes a third-party score package into `<project>/node_modules/plexus-score-gated`: the label
 * is the parity of the text; items whose number is below `open_below` are scored at once, the
 * others wait until the file `gate` exists. A run therefore stays in progress, part scored, for
 * exactly as long as a test needs (e.g. to kill a server mid-run), however busy the machine,
 * instead of sleeping a fixed time long enough for the slowest machine.
 */
export function writeGatedPackage(project: string): void {
  const gatedPackage = join(project, 'node_modules', 'plexus-score-gated');
  mkdirSync(gatedPackage, { recursive: true });
  writeFileSync(
    join(gatedPackage, 'package.json'),
    JSON.stringify({ name: 'plexus-score-gated', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(gatedPackage, 'index.js'),
    `import { existsSync } from 'node:fs';
  const settingsSchema = { safeParse: (value) => ({ success: true, data: value }) };
  async function opened(gate, signal) {
    while (!existsSync(gate)) {
      signal.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  export const plugin = {
    specificationVersion: 'v1',
    name: 'plexus-score-gated',
    factories: [{
      specificationVersion: 'v1',
      kind: 'parity',
      settingsSchema,
      create: (settings, env) => ({
        specificationVersion: 'v1', kind: 'plexus-score-gated/parity', name: env.name, labels: ['even', 'odd'],
        fingerprint: 'gated-parity', maxBatchSize: 10,
        async doScore({ items, signal }) {
          if (items.some((item) => Number(item.text) >= settings.open_below)) await opened(settings.gate, signal);
          return items.map((item) => ({ value: Number(item.text) % 2 ? 'odd' : 'even', status: 'ok' }));
        },
      }),
    }],
  };
  `,
  );
}

/** A TCP link to a server that a test can cut (nothing listens: connections are refused). */
export interface CuttableLink {
  /** The server's URI through the link. */
  uri: string;
  /** Stops listening and drops every open connection, as a server killed with SIGKILL does. */
  cut(): Promise<void>;
  /** Listens again on the same port, as a restarted server does. */
  restore(): Promise<void>;
}

/**
 * A link to `target` (http://host:port) on a free port of 127.0.0.1. Cutting it shows a client
 * what a dead server shows (refused connections, reset sockets) while the server itself keeps
 * running, so "restarting" it takes milliseconds, not the server's startup (10-60 s for MLflow).
 */
export async function cuttableLink(target: string): Promise<CuttableLink> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    keep(client);
    keep(upstream);
    // Either side gone takes the other with it (no half-open connection left behind).
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const linkPort = (server.address() as AddressInfo).port;
  return {
    uri: `http://127.0.0.1:${linkPort}`,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    restore: () => listen(linkPort),
  };
}
