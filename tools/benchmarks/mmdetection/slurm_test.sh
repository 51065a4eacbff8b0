#!/usr/bin/env bash
# Usage: [GPUS=8] bash tools/benchmarks/mmdetection/slurm_test.sh PARTITION JOB_NAME CONFIG DET_CHECKPOINT [test.py options]
# Evaluates a fine-tuned detector (a checkpoint saved by slurm_train.sh) with
# the test loop of its mmdet config, through tools/test.py.
exec bash "$(dirname "$0")/../../slurm_test.sh" "$@"
