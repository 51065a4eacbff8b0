#!/usr/bin/env bash
# The main job on the embedded synthetic set, from nothing:
#   1. set up .venv (tools/setup_env.sh; a no-op when it is up to date);
#   2. generate the synthetic CUB-format set into data/synthetic_cub (once);
#   3. pre-train BYOL (ResNet-18) on the CPU;
#   4. print kNN top-1 and retrieval rank-1 of the pre-trained backbone
#      against the same backbone at random initialisation.
# Environment: CONFIG (default: the BYOL synthetic config), WORK_DIR, DATA.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
PY="$ROOT/.venv/bin/python"

CONFIG="${CONFIG:-configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py}"
NAME="$(basename "$CONFIG" .py)"
WORK_DIR="${WORK_DIR:-work_dirs/demo/$NAME}"
DATA="${DATA:-data/synthetic_cub}"

start=$(date +%s)
if [[ ! -f "$DATA/bounding_boxes.txt" ]]; then
    "$PY" tools/dataset_converters/make_synthetic_cub.py "$DATA"
fi
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" \
    --cfg-options "train_dataloader.dataset.data_root=$DATA"
ckpt="$WORK_DIR/$(cat "$WORK_DIR/last_checkpoint" | xargs basename)"
"$PY" tools/analysis_tools/knn_eval.py "$CONFIG" "$ckpt" \
    --data-root "$DATA" --compare-random-init --out "$WORK_DIR/knn_eval.json"
echo "demo job (data, pre-training, evaluation) took $(( $(date +%s) - start )) s"
