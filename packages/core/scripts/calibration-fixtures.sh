#!/usr/bin/env bash
# Recomputes the calibration fixtures (scikit-learn's IsotonicRegression and sigmoid calibration,
# ECE and Brier by numpy) in a project-local virtual environment (.cache/venv-feedback).
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(../../scripts/python-venv.sh feedback "scikit-learn==1.7.*" numpy "statsmodels==0.14.*" "krippendorff==0.8.*")
"$python" scripts/calibration-fixtures.py
