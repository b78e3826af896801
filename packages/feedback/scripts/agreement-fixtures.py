"""Computes agreement fixtures for the TypeScript parity tests of @plexus/feedback.

Run: bash packages/feedback/scripts/agreement-fixtures.sh
Writes src/fixtures/agreement.json. Each case is a reliability matrix (raters x items, null where a
rater did not label the item) with Krippendorff's alpha (nominal) from the `krippendorff` package,
Fleiss' kappa from statsmodels (cases where every item has the same number of raters) or from the
textbook formula written here (items with different numbers of raters), and, for rater pairs,
accuracy and Cohen's kappa from scikit-learn and Gwet's AC1 written here.
"""

import json
import random
from pathlib import Path

import krippendorff
import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import accuracy_score, cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa


def units_of(matrix):
    """The labels each item received (missing ratings left out)."""
    return [[row[item] for row in matrix if row[item] is not None] for item in range(len(matrix[0]))]


def alpha(matrix, labels):
    index = {label: position for position, label in enumerate(labels)}
    data = np.array([[np.nan if value is None else index[value] for value in row] for row in matrix], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=list(range(len(labels)))))


def fleiss_by_hand(units, labels):
    kept = [unit for unit in units if len(unit) >= 2]
    counts = np.array([[unit.count(label) for label in labels] for unit in kept], dtype=float)
    sizes = counts.sum(axis=1)
    agreement = ((counts * counts).sum(axis=1) - sizes) / (sizes * (sizes - 1))
    shares = counts.sum(axis=0) / counts.sum()
    chance = float((shares * shares).sum())
    return float((agreement.mean() - chance) / (1 - chance))


def fleiss(units, labels):
    kept = [unit for unit in units if len(unit) >= 2]
    if len({len(unit) for unit in kept}) == 1:
        index = {label: position for position, label in enumerate(labels)}
        table, _ = aggregate_raters(np.array([[index[label] for label in unit] for unit in kept]), n_cat=len(labels))
        return float(fleiss_kappa(table, method="fleiss")), "statsmodels"
    return fleiss_by_hand(units, labels), "formula"


def gwet_ac1(first, second, labels):
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    pi = [(first.count(label) + second.count(label)) / (2 * n) for label in labels]
    chance = sum(p * (1 - p) for p in pi) / (len(labels) - 1)
    return (observed - chance) / (1 - chance)


def pairs(matrix):
    result = []
    for a in range(len(matrix)):
        for b in range(a + 1, len(matrix)):
            both = [(x, y) for x, y in zip(matrix[a], matrix[b]) if x is not None and y is not None]
            if len(both) < 2:
                continue
            first, second = [x for x, _ in both], [y for _, y in both]
            labels = sorted(set(first) | set(second))
            if len(labels) < 2:
                continue
            result.append({
                "first": first,
                "second": second,
                "accuracy": float(accuracy_score(first, second)),
                "cohen_kappa": float(cohen_kappa_score(first, second)),
                "gwet_ac1": float(gwet_ac1(first, second, labels)),
            })
    return result


def case(name, matrix):
    labels = sorted({value for row in matrix for value in row if value is not None})
    units = units_of(matrix)
    kappa, source = fleiss(units, labels)
    return {
        "name": name,
        "matrix": matrix,
        "expected": {"krippendorff_alpha": alpha(matrix, labels), "fleiss_kappa": kappa, "fleiss_source": source},
        "pairs": pairs(matrix),
    }


def seeded(seed, raters, items, labels, missing):
    generator = random.Random(seed)
    truth = [generator.choice(labels) for _ in range(items)]
    matrix = []
    for _ in range(raters):
        row = []
        for item in range(items):
            if generator.random() < missing:
                row.append(None)
            elif generator.random() < 0.75:
                row.append(truth[item])
            else:
                row.append(generator.choice(labels))
        matrix.append(row)
    return matrix


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the nominal example with
# missing values (4 observers, 12 units; alpha = 0.743).
krippendorff_2011 = [
    ["1", "2", "3", "3", "2", "1", "4", "1", "2", None, None, None],
    ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", None, "3"],
    [None, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", None],
    ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", None],
]

full = seeded(1, 3, 30, ["pass", "fail", "na"], 0.0)
cases = [
    case("three raters, every item, three labels", full),
    case("Krippendorff 2011 nominal example, missing values", krippendorff_2011),
    case("five reviewers, 30% missing, four labels", seeded(7, 5, 60, ["yes", "no", "partly", "na"], 0.3)),
    case("two reviewers, binary, some items once", seeded(11, 2, 40, ["yes", "no"], 0.2)),
]
out = Path(__file__).resolve().parent.parent / "src" / "fixtures" / "agreement.json"
out.write_text(json.dumps({
    "generated_by": "packages/feedback/scripts/agreement-fixtures.py",
    "versions": {"krippendorff": "0.8", "statsmodels": statsmodels.__version__, "scikit-learn": sklearn.__version__},
    "cases": cases,
}, indent=1) + "\n")
print(f"wrote {out}")
