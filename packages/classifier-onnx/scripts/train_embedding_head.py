"""Trains a logistic-regression head on sentence embeddings and exports it to ONNX.

Usage: python train_embedding_head.py ENCODER TOKENIZER TRAIN_CSV TEXT_COLUMN LABEL_COLUMN OUT_ONNX [--limit N]
The encoder (all-MiniLM-L6-v2 int8 from scripts/fetch-minilm.sh) embeds each text with mean pooling
and L2 normalisation, as the onnx/classifier score does; the head takes float [batch, 384].
"""
import csv
import sys

import numpy as np
from onnx_reference import embed
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression


def main() -> None:
    encoder, tokenizer, source, text_column, label_column, target = sys.argv[1:7]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    texts = [row[text_column] for row in rows]
    request = {"model": encoder, "tokenizer": tokenizer, "max_length": 256}
    embeddings = np.concatenate([embed(request, texts[start:start + 256]) for start in range(0, len(texts), 256)])
    head = LogisticRegression(max_iter=2000, C=20.0)
    head.fit(embeddings, [row[label_column] for row in rows])
    model = to_onnx(head, embeddings[:1], options={LogisticRegression: {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
    model.doc_string = f"logistic regression over all-MiniLM-L6-v2 embeddings, {len(rows)} training texts"
    with open(target, "wb") as handle:
        handle.write(model.SerializeToString())
    print(f"{target}: head trained on {len(rows)} texts, {len(head.classes_)} labels")


if __name__ == "__main__":
    main()
