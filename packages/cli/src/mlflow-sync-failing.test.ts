import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const spam = fileURLToPath(new URL('../../../examples/spam/data/test.csv', import.meta.url));

/** `plexus` without blocking this process (the failing server lives in it). */
function run(cwd: string, args: string[], uri: string) {
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, MLFLOW_TRACKING_URI: uri, PLEXUS_CACHE_DIR: join(cwd, 'cache') },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

// `plexus mlflow sync` against a server answering 500 (its database locked) said only "1 of 1
// runs were not synced": nothing of what to do; the fix is time, and the same command.
it('mlflow sync against a failing server says what was kept and the command to sync again', async () => {
  const server = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end('{"error_code": "INTERNAL_ERROR", "message": "database is locked"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const uri = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'plexus-sync-failing-'));
    writeFileSync(
      join(dir, 'card.yaml'),
      'name: Sync\nscores:\n  - { name: Words, class: heuristic/keywords, labels: [spam, ham], label_column: label, phrases: [free] }\n',
    );
    const evaluated = await run(
      dir,
      ['evaluate', 'card.yaml', '--data', spam, '--out', 'my run', '--tracker', 'local'],
      uri,
    );
    expect(evaluated.status).toBe(0);
    // One run folder MLflow fails for, one that is no run folder (its own message, its own fix).
    const synced = await run(dir, ['mlflow', 'sync', 'my run', 'cache'], uri);
    expect(synced.status).toBe(1);
    expect(synced.stderr).toContain(
      'my run: MLflow GET /api/2.0/mlflow/experiments/get-by-name answered 500',
    );
    expect(synced.stderr).toContain('\ncache: no readable run.json');
    expect(synced.stderr).not.toContain('cache: cache:');
    expect(synced.stderr).toContain(
      "2 of 2 runs were not synced; MLflow failed for 1: what was logged is kept, sync again once it answers: plexus mlflow sync 'my run'",
    );
  } finally {
    server.close();
  }
});
