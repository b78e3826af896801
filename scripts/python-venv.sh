#!/usr/bin/env bash
# Prints the path of the project's Python, from one virtual environment, .cache/venv-python,
# shared by every package's tests, the examples and the benchmarks. It is
# created (once) with everything in scripts/python-requirements.txt, so the packages they have in
# common (numpy, pandas, pyarrow, scikit-learn, onnx, onnxruntime) are installed once; editing that
# file rebuilds it. Usage: python-venv.sh NAME REQ... (pip arguments: package specs, or -r FILE):
# what the caller NAME needs, normally already there; anything missing is added.
#
# The environment itself is kept outside the checkout, like pip's own cache: in
# $PLEXUS_VENV_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/plexus/venvs), one folder per content
# of the requirements file and Python version, and .cache/venv-python links to it. A fresh clone
# (CI, a second worktree) then reuses it instead of installing 1.6 GB again (about 2 minutes).
# PLEXUS_VENV_CACHE= (empty), or no HOME, makes it inside the checkout, as a plain folder.
# Environments of older requirements stay there (1.6 GB each) until the folder is deleted.
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
user_cache="${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}"
cache="${PLEXUS_VENV_CACHE-${user_cache:+$user_cache/plexus/venvs}}"
current() { [ -x "$1/bin/python" ] && cmp -s "$shared" "$1/.requirements"; }
if [ ! -L "$venv" ] && current "$venv"; then
  : # A checkout that made its own environment (a plain folder) keeps it while it is current.
elif [ -n "$cache" ]; then
  key=$({ cat "$shared"; python3 -c 'import sys; print(sys.version, sys.executable)'; } |
    sha256sum | cut -c1-16)
  target="$cache/python-$key"
  mkdir -p "$cache"
  # Checkouts share it: one installs, the others wait (the lock of this checkout is taken first).
  exec 8>"$target.lock"
  flock 8
  if ! current "$target"; then
    rm -rf "$target"
    python3 -m venv "$target" >&2
    "$target/bin/pip" install --quiet --disable-pip-version-check -r "$shared" >&2
    cp "$shared" "$target/.requirements"
  fi
  if [ "$(readlink "$venv" || true)" != "$target" ]; then
    rm -rf "$venv"
    ln -s "$target" "$venv"
  fi
else
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$shared" >&2
  cp "$shared" "$venv/.requirements"
fi
# What is wanted: the arguments, a requirements file by its content (editing it installs again),
# not its path, so that checkouts at other paths (every fresh clone) sharing the cached
# environment do not run pip again.
wanted=""
for arg in "$@"; do
  if [ -f "$arg" ]; then wanted="$wanted $(basename "$arg"): $(cat "$arg")"; else wanted="$wanted $arg"; fi
done
stamp="$venv/.requirements-$name"
if [ "$#" -gt 0 ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; }; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  echo "$wanted" >"$stamp"
fi
echo "$venv/bin/python"
