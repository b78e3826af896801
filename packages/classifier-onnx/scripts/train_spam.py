"""Trains a TF-IDF + logistic-regression spam model on the SMS Spam Collection and exports it to ONNX.

Usage: python train_spam.py SMS_CSV OUT_ONNX [--zipmap]
Training rows: every message whose number (sms-0001 -> 1) is not a multiple of 5; the others
(ids ending in 0 or 5) are the held-out test set the example evaluates on.
"""
import csv
import sys

import onnx
from onnx import helper
from skl2onnx import to_onnx
from skl2onnx.common.data_types import StringTensorType
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    zipmap = "--zipmap" in sys.argv[3:]
    with open(source, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if int(row["id"].split("-")[1]) % 5 != 0]
    pipeline = Pipeline([
        ("tfidf", TfidfVectorizer(lowercase=True, ngram_range=(1, 1), min_df=2, max_features=5000)),
        ("model", LogisticRegression(max_iter=1000, C=10.0, class_weight="balanced")),
    ])
    pipeline.fit([row["text"] for row in rows], [row["label"] for row in rows])
    model = to_onnx(
        pipeline,
        initial_types=[("text", StringTensorType([None, 1]))],
        options={LogisticRegression: {"zipmap": zipmap}},
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    # The converter leaves StringNormalizer's locale to the platform default (en_US), which
    # minimal Linux images lack; C.UTF-8 is always there and lower-cases the same for this data.
    for node in model.graph.node:
        if node.op_type == "StringNormalizer":
            node.attribute.append(helper.make_attribute("locale", "C.UTF-8"))
    model.doc_string = f"TF-IDF + logistic regression, SMS spam, {len(rows)} training messages"
    onnx.save(model, target)
    print(f"{target}: trained on {len(rows)} messages, labels {list(pipeline.classes_)}")


if __name__ == "__main__":
    main()
