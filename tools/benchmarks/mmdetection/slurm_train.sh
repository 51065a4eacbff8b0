#!/usr/bin/env bash
# Usage: [GPUS=8] bash tools/benchmarks/mmdetection/slurm_train.sh PARTITION JOB_NAME CONFIG CHECKPOINT WORK_DIR [train.py options]
# Fine-tunes the mmdet detector of CONFIG from the pre-training CHECKPOINT
# (its backbone.* keys) on GPUS slurm tasks, one per GPU.
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
CHECKPOINT=$4
WORK_DIR=$5
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
PY_ARGS=${@:6}
ROOT="$(dirname "$0")/../../.."

PYTHONPATH="$ROOT":$PYTHONPATH \
srun -p "${PARTITION}" \
    --job-name="${JOB_NAME}" \
    --gres=gpu:"${GPUS_PER_NODE}" \
    --ntasks="${GPUS}" \
    --ntasks-per-node="${GPUS_PER_NODE}" \
    --cpus-per-task="${CPUS_PER_TASK}" \
    --kill-on-bad-exit=1 \
    ${SRUN_ARGS} \
    python -u "$(dirname "$0")/train.py" "${CONFIG}" "${CHECKPOINT}" \
    --work-dir="${WORK_DIR}" --launcher="slurm" ${PY_ARGS}
