"""Computes compare's reference figures with SciPy for the TypeScript tests (compare-trust.test.ts).

Run from packages/core:  bash scripts/compare-fixtures.sh
Writes src/compare/fixtures/scipy-compare.json. Per case (n paired items, `only_a` right only in
run A, `only_b` right only in run B, the rest right in both): McNemar's exact p as statsmodels'
mcnemar(exact=True) defines it (twice the binomial lower tail of the smaller discordant count,
at most 1) and by scipy.stats.binomtest, and SciPy's percentile bootstrap 95% interval of the
paired accuracy difference B - A (mean of per-item differences -1, 0, +1).
"""

import json
from pathlib import Path

import numpy as np
import scipy
from scipy.stats import binom, binomtest, bootstrap

CASES = [
    {"n": 200, "only_a": 8, "only_b": 19},
    {"n": 400, "only_a": 40, "only_b": 80},
    {"n": 300, "only_a": 40, "only_b": 0},
]


def case_figures(case):
    n, only_a, only_b = case["n"], case["only_a"], case["only_b"]
    discordant = only_a + only_b
    statsmodels_p = min(1.0, 2 * binom.cdf(min(only_a, only_b), discordant, 0.5))
    differences = np.array([-1] * only_a + [1] * only_b + [0] * (n - discordant), dtype=float)
    interval = bootstrap(
        (differences,),
        np.mean,
        confidence_level=0.95,
        method="percentile",
        n_resamples=20000,
        random_state=np.random.default_rng(0),
    ).confidence_interval
    return {
        **case,
        "mcnemar_p": float(statsmodels_p),
        "binomtest_p": float(binomtest(only_a, discordant, 0.5).pvalue),
        "accuracy_delta": float(differences.mean()),
        "bootstrap_ci95": [float(interval.low), float(interval.high)],
    }


out = {"scipy": scipy.__version__, "cases": [case_figures(case) for case in CASES]}
path = Path("src/compare/fixtures/scipy-compare.json")
path.write_text(json.dumps(out, indent=2) + "\n")
print(path)
