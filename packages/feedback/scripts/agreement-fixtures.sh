#!/usr/bin/env bash
# Recomputes the agreement fixtures (krippendorff, statsmodels, scikit-learn) in a project-local
# virtual environment (.cache/venv-feedback). Run from anywhere: bash packages/feedback/scripts/agreement-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(../../scripts/python-venv.sh feedback "scikit-learn==1.7.*" numpy "statsmodels==0.14.*" "krippendorff==0.8.*")
"$python" scripts/agreement-fixtures.py
