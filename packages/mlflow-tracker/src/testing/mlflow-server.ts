// Starts a real MLflow server for tests: mlflow from PyPI in the repository's .cache/venv-python
// (installed on first use), SQLite backend, artifacts served by the server, on 127.0.0.1.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** PyPI requirements of the test server (and of the Python checks that load registered models). */
export const mlflowRequirements = ['mlflow==3.17.*', 'onnx==1.19.*', 'onnxruntime==1.23.*'];

/** The Python of `.cache/venv-python` (shared by every package), created on first use. */
export function mlflowPython(): string {
  return execFileSync(join(root, 'scripts/python-venv.sh'), ['mlflow', ...mlflowRequirements], {
    encoding: 'utf8',
  }).trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface MlflowServer {
  uri: string;
  /** Folder with the SQLite database and the artifacts: a restarted server keeps them. */
  dir: string;
  python: string;
  /** Stops the server (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Kills it at once, as a crash would. */
  kill(): void;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
}

async function waitForHealth(uri: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`mlflow server exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${uri}/health`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`mlflow server did not answer /health within 180 s:\n${log()}`);
}

/** Starts `mlflow server` on a free port and waits until it answers. */
export async function startMlflowServer(options: { dir?: string } = {}): Promise<MlflowServer> {
  const python = mlflowPython();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'plexus-mlflow-'));
  mkdirSync(join(dir, 'artifacts'), { recursive: true });
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let output = '';
  const launch = async () => {
    output = '';
    child = spawn(
      join(python, '..', 'mlflow'),
      [
        'server',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--backend-store-uri',
        `sqlite:///${join(dir, 'mlflow.db')}`,
        '--artifacts-destination',
        join(dir, 'artifacts'),
        '--workers',
        '1',
      ],
      // Its own process group: mlflow server forks workers, and a crash must take them all.
      // Without MLflow 3's server-side jobs (a job runner and seven huey consumers polling the
      // database, which Plexus never uses): half the CPU of a start, 6.4 s instead of 13.6.
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          MLFLOW_TRACKING_URI: '',
          MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
        },
        detached: true,
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    await waitForHealth(uri, child, () => output);
  };
  await launch();
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    signalGroup('SIGKILL');
  };
  return {
    uri,
    dir,
    python,
    stop,
    kill: () => signalGroup('SIGKILL'),
    restart: async () => {
      await stop();
      // The port may take a moment to be free again after the group is killed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await launch();
    },
  };
}
