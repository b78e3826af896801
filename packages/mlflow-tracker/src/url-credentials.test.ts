import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, loadScorecard } from '@plexus/core';
import { testPlugin } from '@plexus/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { mlflowTracker } from './mlflow-tracker.js';

// One server for the package's files (src/testing/mlflow-global-setup.ts).
const server = inject('mlflowServer');
const password = 'p@ss word-4711/x';
const expected = `Basic ${Buffer.from(`bob:${password}`).toString('base64')}`;

/**
 * MLflow behind a proxy that wants basic auth (as nginx in front of `mlflow server`): 401 without
 * the right `Authorization`, else the request forwarded. Counts what it saw.
 */
let proxy: Server;
let proxyUri = '';
const seen = { authorized: 0, refused: 0 };

beforeAll(async () => {
  const target = new URL(server.uri);
  proxy = createServer((incoming, outgoing) => {
    if (incoming.headers.authorization !== expected) {
      seen.refused += 1;
      outgoing.writeHead(401, { 'www-authenticate': 'Basic' }).end('unauthorized');
      return;
    }
    seen.authorized += 1;
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  proxyUri = `http://bob:${encodeURIComponent(password)}@127.0.0.1:${port}`;
});

afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

describe('a tracking URI with user:password@ (basic auth in the URL)', () => {
  it('logs the run with those credentials, and never shows them', async () => {
    // Before: fetch refused every request ("Request cannot be constructed from a URL that
    // includes credentials"), retried, and the tracker said MLflow was unreachable.
    const client = new MlflowClient({ trackingUri: proxyUri, attempts: 1 });
    expect(client.trackingUri).not.toContain(encodeURIComponent(password));
    expect(client.trackingUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const dir = mkdtempSync(join(tmpdir(), 'plexus-url-credentials-'));
    const card = join(dir, 'card.yaml');
    writeFileSync(
      card,
      'name: Url Credentials\nscores:\n  - { name: Free, class: test/contains, word: free, labels: [spam, ham], label_column: label }\n',
    );
    writeFileSync(join(dir, 'data.csv'), 'id,text,label\n1,free cash,spam\n2,hi mum,ham\n');
    const tracker = mlflowTracker({ uri: proxyUri, experiment: 'plexus/url credentials' });
    await evaluate({
      scorecard: await loadScorecard(card, { plugins: [testPlugin] }),
      data: join(dir, 'data.csv'),
      outDir: join(dir, 'run'),
      sinks: [tracker],
    });
    expect(tracker.outcome?.error).toBeUndefined();
    expect(tracker.outcome?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/experiments\//);
    expect(seen.refused).toBe(0);
    expect(seen.authorized).toBeGreaterThan(3);
    // The run is on the server behind the proxy, finished, with its metrics.
    const direct = new MlflowClient({ trackingUri: server.uri });
    const experiment = await direct.ensureExperiment('plexus/url credentials');
    const [run] = await direct.findRunsByTag(
      experiment.experiment_id,
      'plexus.scorecard',
      'Url Credentials',
    );
    expect(run?.info.status).toBe('FINISHED');
    expect(run?.data?.metrics?.find((metric) => metric.key === 'Free.accuracy')?.value).toBe(1);
  });
});

it('a mistyped tracking URI is refused without its password', () => {
  // `htps://` is no http(s) URI, but its user:password@ is still a password.
  expect(() => new MlflowClient({ trackingUri: 'htps://bob:s3cret-4711@mlflow.example' })).toThrow(
    /MLflow needs an http\(s\) tracking URI \(got "htps:\/\/bob:\[redacted\]@mlflow\.example"\)/,
  );
});
