#!/usr/bin/env bash
# Recomputes the scikit-learn metric fixtures in a project-local virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=../../.cache/venv-metrics
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "scikit-learn==1.7.*" numpy
"$venv/bin/python" scripts/metrics-fixtures.py
