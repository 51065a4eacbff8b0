#!/usr/bin/env bash
# Usage: bash tools/dist_train.sh CONFIG GPUS [train.py options]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT. Without GPUs the processes
# run on the CPU with gloo (GPUS is then the number of processes).
set -e
source "$(dirname "$0")/launch_lib.sh"
torchrun_launch "$2" "$(dirname "$0")/train.py" "$1" \
    --launcher pytorch "${@:3}"
