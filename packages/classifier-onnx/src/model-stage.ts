import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errorMessage, fileSystemError, InvalidConfigError, PlexusError } from '@plexus/core';
import { type GraphNode, graphNodes, replaceOutputs } from './onnx-graph.js';
import { type InferenceSession, type SessionOptions, sharedSession } from './onnx-runtime.js';

/** One model input or output as the runtime describes it. */
export interface ValueInfo {
  name: string;
  /** Element type (`string`, `int64`, `float32`, ...) or `non-tensor` (sequences, maps). */
  type: string;
  /** Dimensions; strings or -1 for free ones. */
  shape: readonly (number | string)[];
}

/** A loaded model: its session, inputs, outputs and classifier nodes. */
export interface ModelStage {
  path: string;
  hash: string;
  session: InferenceSession;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: GraphNode[];
  /** Output added to read a ZipMap's probabilities, with the ZipMap's labels. */
  zipMap?: { output: string; labels: string[] };
}

export function configError(path: string, message: string): InvalidConfigError {
  return new InvalidConfigError([{ path, message }]);
}

function valueInfo(metadata: readonly unknown[]): ValueInfo[] {
  return metadata.map((entry) => {
    const info = entry as {
      name: string;
      isTensor: boolean;
      type?: string;
      shape?: (number | string)[];
    };
    return {
      name: info.name,
      type: info.isTensor ? (info.type ?? 'unknown') : 'non-tensor',
      shape: info.shape ?? [],
    };
  });
}

/** `name: type [d0, d1]` for messages. */
export function describeValues(values: readonly ValueInfo[]): string {
  return values
    .map((value) => {
      const shape = value.shape.map((dimension) =>
        typeof dimension === 'number' && dimension >= 0 ? dimension : '?',
      );
      return `${value.name}: ${value.type}${value.type === 'non-tensor' ? '' : ` [${shape.join(', ')}]`}`;
    })
    .join(', ');
}

/**
 * The runtime's reason without what it may quote of the file (node and tensor names, any bytes of
 * a file that is not a model): its first sentence, quoted and bracketed parts elided, and without
 * the C++ source location in front.
 */
export function runtimeReason(message: string): string {
  const text = message.replace(/^\S+\.(?:cc|cpp|h):\d+ [^(]*\([^)]*\)\s*/, '');
  const sentence = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  return sentence.replace(/"[^"]*"|'[^']*'|\([^)]*\)|\[[^\]]*\]/g, '(…)').slice(0, 200);
}

/** Reads a model file and creates (or reuses) its session; every failure names the file. */
export async function loadStage(
  path: string,
  at: string,
  options: SessionOptions,
): Promise<ModelStage> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT')
      throw configError(at, `model file ${path} not found`);
    throw configError(
      at,
      fileSystemError(error, path, 'read the model file', { reading: true }).message,
    );
  }
  let nodes: GraphNode[];
  try {
    nodes = graphNodes(bytes);
  } catch (error) {
    throw configError(
      at,
      `model file ${path} is not a valid ONNX model (${errorMessage(error)}); the file may be truncated`,
    );
  }
  // onnxruntime-node cannot return ZipMap's sequence of maps: read its input tensor instead.
  const zipNode = nodes.find((node) => node.opType === 'ZipMap');
  const runBytes = zipNode
    ? replaceOutputs(bytes, { remove: zipNode.outputs, addFloat: [zipNode.inputs[0]!] })
    : bytes;
  const hash = createHash('sha256').update(bytes).digest('hex');
  let session: InferenceSession;
  try {
    session = await sharedSession(hash, runBytes, options);
  } catch (error) {
    if (PlexusError.isInstance(error)) throw error;
    throw configError(
      at,
      `model file ${path} could not be loaded by onnxruntime: ${runtimeReason(errorMessage(error))}`,
    );
  }
  const stage: ModelStage = {
    path,
    hash,
    session,
    inputs: valueInfo(session.inputMetadata),
    outputs: valueInfo(session.outputMetadata),
    nodes,
  };
  if (zipNode) stage.zipMap = { output: zipNode.inputs[0]!, labels: zipNode.classLabels ?? [] };
  return stage;
}
