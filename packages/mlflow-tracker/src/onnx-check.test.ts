import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { MlflowClient } from './mlflow-client.js';
import { registerModel } from './model-registry.js';
import { onnxProblem } from './onnx-check.js';
import { mlflowPython } from './testing/mlflow-server.js';

const spamOnnx = fileURLToPath(new URL('../../../examples/spam/models/spam.onnx', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'plexus-onnx-check-'));
const server = inject('mlflowServer');

const model = readFileSync(spamOnnx);
/** Files named .onnx: the real model, and what a user may pass by mistake. */
const files: Record<string, Buffer> = {
  'model.onnx': model,
  'cut.onnx': model.subarray(0, Math.floor(model.length / 2)),
  'forest.onnx': Buffer.from('{"format":"plexus-forest","version":1,"trees":[]}'),
  'notes.onnx': Buffer.from('model exported on Monday\n'),
  'empty.onnx': Buffer.alloc(0),
  'zip.onnx': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]),
};
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(folder, name), bytes);

/** Per path, whether the ONNX library itself (Python, onnx.load) reads it as a model with a graph. */
function onnxLoads(paths: string[]): boolean[] {
  const script = `import json, sys, onnx
def loads(path):
  try:
    model = onnx.load(path)
    return model.HasField("graph") and model.ir_version > 0
  except Exception:
    return False
print(json.dumps([loads(path) for path in sys.argv[1:]]))`;
  return JSON.parse(execFileSync(mlflowPython(), ['-c', script, ...paths], { encoding: 'utf8' }));
}

describe('an .onnx file is checked before it is registered', () => {
  it('accepts exactly the files the ONNX library loads', () => {
    const paths = Object.keys(files).map((name) => join(folder, name));
    const loads = onnxLoads(paths);
    expect(loads.filter(Boolean)).toHaveLength(1);
    for (const [index, path] of paths.entries())
      expect(onnxProblem(readFileSync(path)) === undefined, path).toBe(loads[index]);
    expect(onnxProblem(model)).toBeUndefined();
  });

  it('says what is wrong in words', () => {
    expect(onnxProblem(Buffer.alloc(0))).toBe('the file is empty');
    expect(onnxProblem(files['cut.onnx']!)).toMatch(
      /^field \d+ at byte \d+ runs \d+ bytes past the end of the file \(cut short\?\)$/,
    );
    expect(onnxProblem(files['forest.onnx']!)).toBe(
      'byte 0 (0x7b) does not start a protobuf field',
    );
  });

  it('refuses a non-ONNX file before anything reaches MLflow', async () => {
    const client = new MlflowClient({ trackingUri: server.uri, retryDelayMs: 50 });
    const name = `not-onnx-${Date.now()}`;
    const path = join(folder, 'notes.onnx');
    await expect(registerModel({ client, file: path, name })).rejects.toThrow(
      `${path}: not an ONNX model (`,
    );
    // Nothing was created: no registered model of that name, no registration run.
    await expect(client.getModelVersion(name, '1')).rejects.toThrow();
    const experiment = await client.getExperimentByName('plexus/models');
    const runs = experiment
      ? await client.findRunsByTag(experiment.experiment_id, 'plexus.model_file', 'notes.onnx')
      : [];
    expect(runs).toEqual([]);
  });
});
