import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidConfigError } from '../common/errors.js';
import type { ScoreEnvV1 } from './score-spec.js';

/**
 * The local file of a model setting: a path relative to the scorecard, or a `models:/` registry
 * URI downloaded through `env.resolveModel`. `at` names the setting in error messages.
 */
export async function resolveModelPath(
  setting: string,
  env: Pick<ScoreEnvV1, 'baseDir' | 'resolveModel'>,
  at = 'model',
): Promise<string> {
  if (!setting.startsWith('models:/'))
    return isAbsolute(setting) ? setting : resolve(env.baseDir, setting);
  if (!env.resolveModel)
    throw new InvalidConfigError([
      {
        path: at,
        message: `${setting} is a registry URI: set MLFLOW_TRACKING_URI to the MLflow server that holds it`,
      },
    ]);
  return env.resolveModel(setting);
}

/** A kind of model file a trainer writes, recognised by the first bytes of the file. */
export interface ModelFileKind {
  /** Its name in messages, e.g. `plexus-forest`. */
  name: string;
  /** Whether a file starting with these bytes (at most 256) is a model of this kind. */
  matches(head: Buffer): boolean;
}

/** A plexus-forest model file (`forest/random-forest`): JSON starting with its `format`. */
export const forestModelKind: ModelFileKind = {
  name: 'plexus-forest',
  matches: (head) => /^\s*\{\s*"format"\s*:\s*"plexus-forest"/.test(head.toString('utf8')),
};

/** The model file kinds of the trainable built-in score classes, by class. */
export const trainedModelKinds: Readonly<Record<string, ModelFileKind>> = {
  'forest/random-forest': forestModelKind,
};

/** The folder a path is really in: symbolic links of its existing part followed. */
function realLocation(path: string): string {
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      missing.push(basename(existing));
      existing = parent;
    }
  }
}

function inside(path: string, folder: string): boolean {
  const from = relative(realLocation(folder), realLocation(path));
  return from !== '' && !from.startsWith(`..${sep}`) && from !== '..' && !isAbsolute(from);
}

/**
 * Where training writes a model whose setting is `setting`: that path, which must be inside the
 * scorecard's folder (`baseDir`), or with `outDir` (`--out`) that file name in `outDir`. A path
 * outside is refused (exit 2) naming the path and `--out`: training never writes elsewhere.
 */
export function modelWriteTarget(
  setting: string,
  baseDir: string,
  outDir?: string,
  at = 'model',
): string {
  const path = isAbsolute(setting) ? setting : resolve(baseDir, setting);
  if (outDir) return join(resolve(outDir), basename(path));
  if (!inside(path, baseDir))
    throw new InvalidConfigError([
      {
        path: at,
        message: `${path} is outside the scorecard's folder ${resolve(baseDir)}; training writes models only inside it: set ${at} to a path there, or pass --out DIR`,
      },
    ]);
  return path;
}

/**
 * Refuses (exit 2) to replace `path` when it exists and is not a model of `kind` by its first
 * bytes: training replaces its own models, never another file. Nothing of the file is quoted.
 */
export function checkModelOverwrite(path: string, kind: ModelFileKind, at = 'model'): void {
  let head: Buffer;
  let fd: number | undefined;
  try {
    if (!statSync(path, { throwIfNoEntry: false })) return;
    if (!statSync(path).isFile()) throw new Error('not a file');
    fd = openSync(path, 'r');
    head = Buffer.alloc(256);
    head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } catch {
    head = Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (kind.matches(head)) return;
  throw new InvalidConfigError([
    {
      path: at,
      message: `${path} exists and is not a ${kind.name} model; training will not overwrite it: set ${at} to a new file, or pass --out DIR`,
    },
  ]);
}
