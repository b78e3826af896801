#!/usr/bin/env bash
# Prints the path of the project's Python, from one project-local virtual environment,
# .cache/venv-python, shared by every package's tests, the examples and the benchmarks. It is
# created (once) with everything in scripts/python-requirements.txt, so the packages they have in
# common (numpy, pandas, pyarrow, scikit-learn, onnx, onnxruntime) are installed once; editing that
# file rebuilds it. Usage: python-venv.sh NAME REQ... (pip arguments: package specs, or -r FILE):
# what the caller NAME needs, normally already there; anything missing is added.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="$1"
shift
venv="$root/.cache/venv-python"
shared="$root/scripts/python-requirements.txt"
mkdir -p "$root/.cache"
# Test files and packages run in parallel and ask for it at once: one installs, the others wait.
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$shared" "$venv/.requirements"; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$shared" >&2
  cp "$shared" "$venv/.requirements"
fi
wanted="$*"
# A requirements file's content is part of what is wanted: editing it installs again.
for arg in "$@"; do
  if [ -f "$arg" ]; then wanted="$wanted $(cat "$arg")"; fi
done
stamp="$venv/.requirements-$name"
if [ "$#" -gt 0 ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; }; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  echo "$wanted" >"$stamp"
fi
echo "$venv/bin/python"
