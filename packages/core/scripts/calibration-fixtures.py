"""Computes calibration fixtures for the TypeScript parity tests.

Run from packages/core:  bash scripts/calibration-fixtures.sh
Writes src/metrics/fixtures/calibration.json: seeded over-confident scores (confidence, correct),
with scikit-learn's IsotonicRegression(out_of_bounds='clip') and sigmoid calibration (Platt)
fitted on them and evaluated on a grid, and the top-label ECE (10 equal-width bins, the last one
including 1.0) and Brier score computed here with numpy from their definitions.
"""

import json
import random
from pathlib import Path

import numpy as np
import sklearn
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression


def ece(confidence, correct, bins=10):
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    index = np.minimum(np.floor(confidence * bins).astype(int), bins - 1)
    total = 0.0
    reliability = []
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        if n:
            total += n / len(confidence) * abs(correct[mask].mean() - confidence[mask].mean())
        reliability.append({"n": n, "accuracy": float(correct[mask].mean()) if n else None,
                            "confidence": float(confidence[mask].mean()) if n else None})
    return float(total), reliability


def case(name, seed, n, ties):
    generator = random.Random(seed)
    confidence, correct = [], []
    for _ in range(n):
        c = round(generator.uniform(0.3, 1.0), 2) if ties else generator.uniform(0.3, 1.0)
        confidence.append(c)
        # Over-confident: right with probability c^2.
        correct.append(generator.random() < c * c)
    isotonic = IsotonicRegression(out_of_bounds="clip").fit(confidence, [float(v) for v in correct])
    grid = [i / 40 for i in range(41)] + confidence[:20]
    a, b = _sigmoid_calibration(np.asarray(confidence), np.asarray(correct, dtype=float))
    value, reliability = ece(confidence, correct)
    return {
        "name": name,
        "confidence": confidence,
        "correct": correct,
        "grid": grid,
        "expected": {
            "isotonic": [float(v) for v in isotonic.predict(grid)],
            "platt": [float(1 / (1 + np.exp(a * g + b))) for g in grid],
            "ece": value,
            "brier_top_label": float(np.mean((np.asarray(confidence) - np.asarray(correct, dtype=float)) ** 2)),
            "reliability": reliability,
        },
    }


cases = [
    case("200 answers, distinct confidences", 3, 200, False),
    case("300 answers, confidences rounded to 0.01 (ties)", 5, 300, True),
    case("including confidence 1.0 and 0.0", 8, 50, True),
]
cases[2]["confidence"][:2] = [1.0, 0.0]
# Recompute the last case with its edge values in place.
last = cases[2]
conf, corr = last["confidence"], last["correct"]
iso = IsotonicRegression(out_of_bounds="clip").fit(conf, [float(v) for v in corr])
a, b = _sigmoid_calibration(np.asarray(conf), np.asarray(corr, dtype=float))
value, reliability = ece(conf, corr)
last["expected"] = {
    "isotonic": [float(v) for v in iso.predict(last["grid"])],
    "platt": [float(1 / (1 + np.exp(a * g + b))) for g in last["grid"]],
    "ece": value,
    "brier_top_label": float(np.mean((np.asarray(conf) - np.asarray(corr, dtype=float)) ** 2)),
    "reliability": reliability,
}
out = Path(__file__).resolve().parent.parent / "src" / "metrics" / "fixtures" / "calibration.json"
out.write_text(json.dumps({"generated_by": "packages/core/scripts/calibration-fixtures.py",
                           "versions": {"scikit-learn": sklearn.__version__}, "cases": cases}) + "\n")
print(f"wrote {out}")
