"""Computes metric fixtures with scikit-learn for the TypeScript parity tests.

Run from packages/core:  bash scripts/metrics-fixtures.sh
Writes src/metrics/fixtures/sklearn-metrics.json. Cases: binary, 3-class with a class never
predicted and one never gold (zero divisions), a degenerate one-label prediction, and the 77
Banking77 intents (gold from shared/data/banking77/test.csv, CC BY 4.0, PolyAI; predictions are
the gold labels with seeded noise and four intents never predicted).
"""

import csv
import json
import random
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, cohen_kappa_score, confusion_matrix, precision_recall_fscore_support


def gwet_ac1(gold, predicted, labels):
    """Gwet (2008) AC1 for two raters, written independently of the TypeScript code."""
    index = {label: position for position, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for g, p in zip(gold, predicted):
        table[index[g], index[p]] += 1
    n = table.sum()
    agreement = np.trace(table) / n
    pi = (table.sum(axis=1) + table.sum(axis=0)) / (2 * n)
    chance = float(np.sum(pi * (1 - pi)) / (len(labels) - 1))
    return (agreement - chance) / (1 - chance)


def averaged(gold, predicted, labels, index):
    result = {}
    for average in ("macro", "micro", "weighted"):
        values = precision_recall_fscore_support(gold, predicted, labels=labels, average=average, zero_division=0)
        result[average] = values[index]
    per_class = precision_recall_fscore_support(gold, predicted, labels=labels, average=None, zero_division=0)[index]
    result["per_class"] = {label: float(value) for label, value in zip(labels, per_class)}
    return {key: (float(value) if not isinstance(value, dict) else value) for key, value in result.items()}


def case(name, gold, predicted):
    labels = sorted(set(gold) | set(predicted))
    return {
        "name": name,
        "gold": gold,
        "predicted": predicted,
        "expected": {
            "labels": labels,
            "accuracy": float(accuracy_score(gold, predicted)),
            "precision": averaged(gold, predicted, labels, 0),
            "recall": averaged(gold, predicted, labels, 1),
            "f1": averaged(gold, predicted, labels, 2),
            "cohen_kappa": float(cohen_kappa_score(gold, predicted, labels=labels)),
            "gwet_ac1": float(gwet_ac1(gold, predicted, labels)),
            "confusion_matrix": confusion_matrix(gold, predicted, labels=labels).tolist(),
        },
    }


def noisy(gold, labels, rate, rng, never=()):
    allowed = [label for label in labels if label not in never]
    out = []
    for label in gold:
        if label in never or rng.random() < rate:
            out.append(rng.choice(allowed))
        else:
            out.append(label)
    return out


def main():
    here = Path(__file__).resolve().parent.parent
    shared = here.parents[1] / ".." / "shared" / "data" / "banking77" / "test.csv"
    rng = random.Random(20261127)
    binary_gold = [rng.choice(["yes", "yes", "no"]) for _ in range(200)]
    cases = [
        case("binary", binary_gold, noisy(binary_gold, ["yes", "no"], 0.25, rng)),
        case(
            "three-class with zero divisions",
            ["a", "a", "a", "b", "b", "c", "c", "c", "c", "a"],
            ["a", "b", "a", "b", "a", "a", "b", "d", "b", "a"],
        ),
        case("one predicted label", ["x", "y", "y", "z", "x"], ["y", "y", "y", "y", "y"]),
    ]
    with open(shared, newline="") as handle:
        gold = [row["category"] for row in csv.DictReader(handle)]
    labels = sorted(set(gold))
    cases.append(case("banking77", gold, noisy(gold, labels, 0.3, rng, never=labels[:4])))
    out = here / "src" / "metrics" / "fixtures" / "sklearn-metrics.json"
    out.write_text(json.dumps({"sklearn": sklearn.__version__, "cases": cases}) + "\n")
    print(f"wrote {out} ({len(cases)} cases, scikit-learn {sklearn.__version__})")


if __name__ == "__main__":
    sys.exit(main())
