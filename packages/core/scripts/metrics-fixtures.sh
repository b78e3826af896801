#!/usr/bin/env bash
# Recomputes the scikit-learn metric fixtures in a project-local virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(../../scripts/python-venv.sh sklearn "scikit-learn==1.7.*" numpy)
"$python" scripts/metrics-fixtures.py
