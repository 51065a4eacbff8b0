#!/usr/bin/env bash
# Usage: bash tools/benchmarks/mmdetection/dist_train.sh CONFIG CHECKPOINT GPUS [train.py options]
# Fine-tunes the mmdet detector of CONFIG from the pre-training CHECKPOINT
# (its backbone.* keys) on GPUS processes of this node (torchrun).
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT. Without GPUs the processes
# run on the CPU with gloo (GPUS is then the number of processes).
set -e
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
ROOT="$(dirname "$0")/../../.."

PYTHONPATH="$ROOT":$PYTHONPATH \
python -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    "$CHECKPOINT" \
    --launcher pytorch "${@:4}"
