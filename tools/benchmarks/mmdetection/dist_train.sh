#!/usr/bin/env bash
# Usage: bash tools/benchmarks/mmdetection/dist_train.sh CONFIG CHECKPOINT GPUS [train.py options]
# Fine-tunes the mmdet detector of CONFIG from the pre-training CHECKPOINT
# (its backbone.* keys) on GPUS processes of this node (torchrun).
# Multi-node and CPU runs as in tools/dist_train.sh.
set -e
source "$(dirname "$0")/../../launch_lib.sh"
torchrun_launch "$3" "$(dirname "$0")/train.py" "$1" "$2" \
    --launcher pytorch "${@:4}"
