import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';

// mlflow sync read each artifact whole: a million-item run's results.jsonl (3.3 GB) failed,
// "File size (3310985590) is greater than 2 GiB", and 330 MB took 1.3 GB of memory. Files are
// streamed now; the server must get the same bytes, on a retry too.

const folder = mkdtempSync(join(tmpdir(), 'plexus-artifact-stream-'));
const file = join(folder, 'results.jsonl');
writeFileSync(file, randomBytes(12 * 1024 * 1024).toString('base64'));
const size = statSync(file).size;

it('uploads a file artifact that downloads byte for byte', async () => {
  const client = new MlflowClient({ trackingUri: inject('mlflowServer').uri, retryDelayMs: 50 });
  const experiment = await client.ensureExperiment('plexus-test/artifact-stream');
  const run = await client.createRun({
    experimentId: experiment.experiment_id,
    runName: 'stream',
    startTime: Date.now(),
    tags: {},
  });
  await client.uploadArtifact(run.info.artifact_uri, 'results.jsonl', { file, size });
  const downloaded = await client.downloadArtifact(run.info.artifact_uri, 'results.jsonl');
  expect(Buffer.from(downloaded).equals(readFileSync(file))).toBe(true);
});

it('sends a file again, whole, when the first attempt is answered 503', async () => {
  const received: { length: string | undefined; bytes: Buffer }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ length: request.headers['content-length'], bytes: Buffer.concat(chunks) });
      response.writeHead(received.length === 1 ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const client = new MlflowClient({ trackingUri: `http://127.0.0.1:${port}`, retryDelayMs: 10 });
    await client.uploadArtifact('mlflow-artifacts:/1/abc/artifacts', 'results.jsonl', {
      file,
      size,
    });
  } finally {
    server.close();
  }
  expect(received).toHaveLength(2);
  for (const attempt of received) {
    expect(attempt.length).toBe(String(size));
    expect(attempt.bytes.equals(readFileSync(file))).toBe(true);
  }
});
