#!/usr/bin/env bash
# Recomputes compare's SciPy fixtures (McNemar's exact p, bootstrap interval) in the shared venv.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(../../scripts/python-venv.sh compare scipy numpy)
"$python" scripts/compare-fixtures.py
