#!/usr/bin/env bash
# Usage: [GPUS=8] bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [options]
# Also read: GPUS_PER_NODE (8), CPUS_PER_TASK (5), SRUN_ARGS.
set -x
source "$(dirname "$0")/launch_lib.sh"
srun_launch "$1" "$2" "$(dirname "$0")/train.py" "$3" --work-dir="$4" \
    --launcher="slurm" "${@:5}"
