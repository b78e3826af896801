import { MissingDependencyError } from '@plexus/core';
import type * as OnnxRuntime from 'onnxruntime-node';

export type OnnxRuntimeModule = typeof OnnxRuntime;
export type InferenceSession = OnnxRuntime.InferenceSession;
export type Tensor = OnnxRuntime.Tensor;

let loader: () => Promise<OnnxRuntimeModule> = async () => {
  try {
    const module = (await import('onnxruntime-node')) as OnnxRuntimeModule & {
      default?: OnnxRuntimeModule;
    };
    return module.default ?? module;
  } catch (error) {
    throw new MissingDependencyError(
      'onnxruntime-node',
      'onnx scores need onnxruntime-node; install it with: npm install onnxruntime-node (ONNXRUNTIME_NODE_INSTALL=skip before it skips its optional CUDA download)',
      { cause: error },
    );
  }
};
let loaded: Promise<OnnxRuntimeModule> | undefined;

/** onnxruntime-node, imported on first use; a missing package says what to install. */
export function onnxRuntime(): Promise<OnnxRuntimeModule> {
  loaded ??= loader().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

/** Replaces how onnxruntime-node is loaded (tests, or another build of the runtime). */
export function setOnnxRuntimeLoader(load: () => Promise<OnnxRuntimeModule>): void {
  loader = load;
  loaded = undefined;
}

export interface SessionOptions {
  /** Threads inside one operator; default 1 (the engine runs batches side by side). */
  intraOpThreads: number;
  interOpThreads: number;
}

const sessions = new Map<string, Promise<InferenceSession>>();

/**
 * One session per model content and thread settings, created once per process and shared by
 * every score that uses the model.
 */
export function sharedSession(
  key: string,
  bytes: Uint8Array,
  options: SessionOptions,
): Promise<InferenceSession> {
  const id = `${key}|${options.intraOpThreads}|${options.interOpThreads}`;
  let session = sessions.get(id);
  if (!session) {
    session = onnxRuntime().then((runtime) =>
      runtime.InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpThreads,
        interOpNumThreads: options.interOpThreads,
        graphOptimizationLevel: 'all',
      }),
    );
    session.catch(() => sessions.delete(id));
    sessions.set(id, session);
  }
  return session;
}
