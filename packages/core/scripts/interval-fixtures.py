"""Computes the Wilson score intervals the TypeScript tests check accuracy_ci95 against.

Run from packages/core:  bash scripts/interval-fixtures.sh
Writes src/metrics/fixtures/wilson-intervals.json. Per case (`correct` right answers of `n`): the
95% Wilson score interval from statsmodels' proportion_confint(method="wilson") and from SciPy's
binomtest(...).proportion_ci(method="wilson"), two implementations that must agree.
"""

import json
from pathlib import Path

import scipy
import statsmodels
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

CASES = [(1, 1), (0, 1), (2, 2), (0, 2), (1, 2), (5, 5), (0, 5), (3, 4), (30, 30), (9, 10), (90, 100), (1799, 2000)]


def case_figures(correct, n):
    low, high = proportion_confint(correct, n, alpha=0.05, method="wilson")
    scipy_ci = binomtest(correct, n).proportion_ci(confidence_level=0.95, method="wilson")
    return {
        "correct": correct,
        "n": n,
        "statsmodels": [float(low), float(high)],
        "scipy": [float(scipy_ci.low), float(scipy_ci.high)],
    }


out = {
    "statsmodels": statsmodels.__version__,
    "scipy": scipy.__version__,
    "cases": [case_figures(correct, n) for correct, n in CASES],
}
path = Path("src/metrics/fixtures/wilson-intervals.json")
path.write_text(json.dumps(out, indent=2) + "\n")
print(path)
