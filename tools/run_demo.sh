#!/usr/bin/env bash
# The point of the project on a CPU, from nothing:
#   1. set up .venv (tools/setup_env.sh; a no-op when it is up to date);
#   2. generate the background-shortcut synthetic set (a unique, salient
#      background per image; the class lives only in the object) and DiLo's
#      saliency masks, once, under $WORK_DIR/data;
#   3. pre-train the baseline (BYOL) and $METHOD with the same budget
#      ($EPOCHS epochs of the synthetic configs' 7 x 7 regime, seeds $SEEDS);
#   4. print random init, the baseline and the method: kNN top-1, retrieval
#      rank-1, MaxBoxAcc and the share of the activation energy inside the
#      object box, and the gain.
# It runs the quality section of tools/benchmarks/cost_and_gain.py for two
# methods. Environment: METHOD (default "BYOL + CVSA"; any name of that
# section, e.g. "BYOL + DiLo"), EPOCHS (12), SEEDS ("0 1"), WORK_DIR
# (work_dirs/demo), DATA (a CUB-format set to use instead of the generated
# one).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
PY="$ROOT/.venv/bin/python"

METHOD="${METHOD:-BYOL + CVSA}"
EPOCHS="${EPOCHS:-12}"
SEEDS="${SEEDS:-0 1}"
WORK_DIR="${WORK_DIR:-work_dirs/demo}"
extra=()
if [[ -n "${DATA:-}" ]]; then extra=(--data-root "$DATA"); fi

start=$(date +%s)
mkdir -p "$WORK_DIR"
# shellcheck disable=SC2086  # SEEDS is a list
"$PY" tools/benchmarks/cost_and_gain.py --only quality --methods "$METHOD" \
    --epochs "$EPOCHS" --seeds $SEEDS --work-dir "$WORK_DIR" "${extra[@]}" \
    > "$WORK_DIR/benchmark.log" 2>&1 || {
    tail -40 "$WORK_DIR/benchmark.log"
    exit 1
}
echo "kNN top-1 (k=20, T=0.07) train -> test, leave-one-out rank-1 on test,"
echo "MaxBoxAcc of the last-stage activation map and its energy inside the"
echo "object box (%), mean +- std over seeds $SEEDS, $EPOCHS epochs each;"
echo "full tables: $WORK_DIR/results.md"
cat "$WORK_DIR/summary.md"
echo "demo job (data, pre-training, evaluation) took $(( $(date +%s) - start )) s"
