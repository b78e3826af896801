"""Trains a TF-IDF + logistic-regression text classifier and exports it to ONNX.

Usage: python train_tfidf.py DATA OUT_ONNX [--label-column label] [--skip-every N] [--zipmap]
DATA is CSV or JSONL with `id` and `text` columns and the label column. `--skip-every 5` leaves
out rows whose id ends in a number divisible by 5 (sms-0005): the SMS examples' held-out set.
"""
import argparse
import csv
import json
import re

import onnx
from onnx import helper
from skl2onnx import to_onnx
from skl2onnx.common.data_types import StringTensorType
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline


def read_rows(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        if path.endswith(".jsonl"):
            return [json.loads(line) for line in handle if line.strip()]
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--skip-every", type=int, default=0)
    parser.add_argument("--zipmap", action="store_true")
    args = parser.parse_args()
    source, target, label, zipmap = args.source, args.target, args.label_column, args.zipmap
    rows = read_rows(source)
    if args.skip_every:
        rows = [row for row in rows if int(re.findall(r"\d+", row["id"])[-1]) % args.skip_every != 0]
    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(lowercase=True, ngram_range=(1, 1), min_df=2, max_features=5000)),
        ("model", LogisticRegression(max_iter=1000, C=10.0, class_weight="balanced")),
    ])
    pipeline.fit([row["text"] for row in rows], [row[label] for row in rows])
    model = to_onnx(
        pipeline,
        initial_types=[("text", StringTensorType([None, 1]))],
        # The graph's tokenizer runs RE2, whose \w is ASCII: with the converter's default, `thé`
        # was the token `th` and `café` `caf`, none in the vocabulary (a model trained to tell them
        # apart answered `coffee` to both). Runs of two or more Unicode letters, digits or `_` are
        # the tokens of scikit-learn's default pattern, (?u)\b\w\w+\b.
        options={
            LogisticRegression: {"zipmap": zipmap},
            TfidfVectorizer: {"tokenexp": r"[\p{L}\p{N}_][\p{L}\p{N}_]+"},
        },
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    # The converter leaves StringNormalizer's locale to the platform default (en_US), which
    # minimal Linux images lack; C.UTF-8 is always there and lower-cases the same for this data.
    for node in model.graph.node:
        if node.op_type == "StringNormalizer":
            node.attribute.append(helper.make_attribute("locale", "C.UTF-8"))
    model.doc_string = f"TF-IDF + logistic regression, {len(rows)} training rows of {source.split('/')[-1]}"
    onnx.save(model, target)
    print(f"{target}: trained on {len(rows)} rows, labels {[str(label) for label in pipeline.classes_]}")


if __name__ == "__main__":
    main()
