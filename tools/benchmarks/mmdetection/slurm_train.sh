#!/usr/bin/env bash
# Usage: [GPUS=8] bash tools/benchmarks/mmdetection/slurm_train.sh PARTITION JOB_NAME CONFIG CHECKPOINT WORK_DIR [train.py options]
# Fine-tunes the mmdet detector of CONFIG from the pre-training CHECKPOINT
# (its backbone.* keys) on GPUS slurm tasks, one per GPU.
set -x
source "$(dirname "$0")/../../launch_lib.sh"
srun_launch "$1" "$2" "$(dirname "$0")/train.py" "$3" "$4" \
    --work-dir="$5" --launcher="slurm" "${@:6}"
