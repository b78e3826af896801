#!/usr/bin/env bash
# Creates (once) a project-local Python virtual environment .cache/venv-NAME with the given
# requirements from PyPI, and prints the path of its python. Usage: python-venv.sh NAME REQ...
# (pip arguments: package specs, or -r requirements.txt).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="$1"
shift
venv="$root/.cache/venv-$name"
stamp="$venv/.requirements"
mkdir -p "$root/.cache"
# Test files run in parallel and may ask for the same environment: one installs, the others wait.
exec 9>"$venv.lock"
flock 9
wanted="$*"
# A requirements file's content is part of what is wanted: editing it reinstalls.
for arg in "$@"; do
  if [ -f "$arg" ]; then wanted="$wanted $(cat "$arg")"; fi
done
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  echo "$wanted" >"$stamp"
fi
echo "$venv/bin/python"
