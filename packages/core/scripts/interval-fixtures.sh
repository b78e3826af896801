#!/usr/bin/env bash
# Recomputes the Wilson interval fixtures (statsmodels, SciPy) in the shared venv.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(../../scripts/python-venv.sh intervals scipy "statsmodels==0.14.*")
"$python" scripts/interval-fixtures.py
