import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pruneBeside } from './class-archives.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** PyPI requirements of local Spark for the tests and benchmarks. */
export const sparkRequirements = ['pyspark==4.0.*', 'pyarrow==21.*', 'pandas==2.*'];

export interface LocalSpark {
  /** spark-submit of `.cache/venv-python`. */
  sparkSubmit: string;
  /** The Python beside it, with pyspark and pyarrow. */
  python: string;
  /**
   * JVM options for the tests' short-lived Spark JVMs (`scripts/spark-test-jvm.sh`: C1 only, the
   * serial collector, a class-data archive made once): for standalone daemons and executors.
   */
  javaOptions: string;
  /** `SPARK_SUBMIT_OPTS` with those options: add to a test's `env` (the driver's JVM). */
  javaEnv: Record<string, string>;
}

/**
 * spark-submit of `.cache/venv-python` (pyspark from PyPI, created on first use), its Python,
 * and the JVM options the tests run Spark with. Benchmarks use `sparkSubmit` alone (Spark's
 * defaults, as users run it). Removes the class-data archives of deleted checkouts beside the one
 * the options name (`pruneClassArchives`).
 */
export function localSpark(): LocalSpark {
  const python = execFileSync(
    join(root, 'scripts/python-venv.sh'),
    ['spark', ...sparkRequirements],
    { encoding: 'utf8' },
  ).trim();
  const sparkSubmit = join(dirname(python), 'spark-submit');
  const javaOptions = execFileSync(join(root, 'scripts/spark-test-jvm.sh'), [sparkSubmit], {
    encoding: 'utf8',
  }).trim();
  // Archives of checkouts since deleted (about 170 MB each) are removed (class-archives.ts).
  pruneBeside(javaOptions, dirname(sparkSubmit));
  return { sparkSubmit, python, javaOptions, javaEnv: { SPARK_SUBMIT_OPTS: javaOptions } };
}
