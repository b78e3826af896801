"""Reference predictions with Python onnxruntime, for the parity tests.

Reads JSON on stdin: {"model": path, "texts": [...]} for a string-input model,
{"model": path, "rows": [[...], ...]} for a float-input model, or
{"model": encoder, "tokenizer": tokenizer.json, "head": head.onnx, "texts": [...], "max_length": 256}
for an encoder with mean pooling, L2 normalisation and a classifier head.
Writes JSON: {"labels": [...], "probabilities": [[...], ...]}.
"""
import json
import sys

import numpy as np
import onnxruntime as ort


def tensors(session, feeds):
    names = [output.name for output in session.get_outputs() if output.type.startswith("tensor")]
    return dict(zip(names, session.run(names, feeds)))


def classify(session, feeds):
    outputs = tensors(session, feeds)
    label = next((value for value in outputs.values() if value.ndim == 1), None)
    probabilities = next((value for value in outputs.values() if value.ndim == 2 and value.dtype.kind == "f"), None)
    return label, probabilities


def embed(request, texts):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(request["tokenizer"])
    tokenizer.enable_truncation(max_length=request.get("max_length", 256))
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
    mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
    session = ort.InferenceSession(request["model"])
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


def main() -> None:
    request = json.load(sys.stdin)
    if "head" in request:
        embeddings = embed(request, request["texts"])
        head = ort.InferenceSession(request["head"])
        label, probabilities = classify(head, {head.get_inputs()[0].name: embeddings})
    else:
        session = ort.InferenceSession(request["model"])
        name = session.get_inputs()[0].name
        if "texts" in request:
            value = np.array([[text] for text in request["texts"]], dtype=object)
        else:
            value = np.array(request["rows"], dtype=np.float32)
        label, probabilities = classify(session, {name: value})
    json.dump({
        "labels": [str(item) for item in label.tolist()] if label is not None else None,
        "probabilities": probabilities.astype(float).tolist() if probabilities is not None else None,
    }, sys.stdout)


if __name__ == "__main__":
    main()
