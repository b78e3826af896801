import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** PyPI requirements of local Spark for the tests and benchmarks. */
export const sparkRequirements = ['pyspark==4.0.*', 'pyarrow==21.*', 'pandas==2.*'];

/** spark-submit of `.cache/venv-python` (pyspark from PyPI, created on first use) and its Python. */
export function localSpark(): { sparkSubmit: string; python: string } {
  const python = execFileSync(
    join(root, 'scripts/python-venv.sh'),
    ['spark', ...sparkRequirements],
    { encoding: 'utf8' },
  ).trim();
  return { sparkSubmit: join(dirname(python), 'spark-submit'), python };
}
