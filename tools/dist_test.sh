#!/usr/bin/env bash
# Usage: bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options]
# Multi-node and CPU runs as in dist_train.sh.
set -e
source "$(dirname "$0")/launch_lib.sh"
torchrun_launch "$3" "$(dirname "$0")/test.py" "$1" "$2" \
    --launcher pytorch "${@:4}"
