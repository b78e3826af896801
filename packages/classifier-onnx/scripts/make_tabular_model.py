"""A small tabular test model: logistic regression on two numeric fields with integer classes.

Usage: python make_tabular_model.py OUT_ONNX. Class 1 when duration_seconds + 10 * holds > 600.
"""
import sys

import numpy as np
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression

random = np.random.default_rng(0)
rows = np.column_stack([random.uniform(0, 900, 400), random.integers(0, 10, 400)]).astype(np.float32)
classes = (rows[:, 0] + 10 * rows[:, 1] > 600).astype(np.int64)
model = LogisticRegression(max_iter=1000).fit(rows, classes)
onnx_model = to_onnx(model, rows[:1], options={LogisticRegression: {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
with open(sys.argv[1], "wb") as handle:
    handle.write(onnx_model.SerializeToString())
