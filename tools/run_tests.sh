#!/usr/bin/env bash
# Set up .venv if needed, lint, and run the test suite. .ci/run calls this.
# Extra arguments go to pytest (e.g. `bash tools/run_tests.sh -k datasets`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# the detection stack too, so that the detection transfer tests run (not skipped)
bash tools/setup_env.sh --detection
source .venv/bin/activate
echo "[run_tests] lint: flake8, isort, yapf"
flake8 mmfgssl tools tests configs
isort --check-only --diff mmfgssl tools tests configs
yapf --diff --recursive mmfgssl tools tests configs
echo "[run_tests] pytest"
python -m pytest tests -q -p no:cacheprovider "$@"
