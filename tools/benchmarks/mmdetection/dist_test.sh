#!/usr/bin/env bash
# Usage: bash tools/benchmarks/mmdetection/dist_test.sh CONFIG DET_CHECKPOINT GPUS [test.py options]
# Evaluates a fine-tuned detector (a checkpoint saved by dist_train.sh) with
# the test loop of its mmdet config: tools/test.py handles mmdet configs as
# they are (their default_scope is mmdet).
exec bash "$(dirname "$0")/../../dist_test.sh" "$@"
