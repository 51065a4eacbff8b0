#!/usr/bin/env bash
# The two launchers that tools/{dist,slurm}_{train,test}.sh and
# tools/benchmarks/mmdetection/{dist,slurm}_train.sh share. Source this file;
# it defines functions and runs nothing.
#
#   torchrun_launch NPROC SCRIPT [ARGS...]
#       NPROC processes of SCRIPT on this node (python -m torch.distributed.run).
#       Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT. Without GPUs the
#       processes run on the CPU with gloo.
#   srun_launch PARTITION JOB_NAME SCRIPT [ARGS...]
#       GPUS (default 8) slurm tasks of SCRIPT, GPUS_PER_NODE (8) per node,
#       CPUS_PER_TASK (5) CPUs each; SRUN_ARGS is passed to srun as it is.
#
# Both put the repository root on PYTHONPATH so that `mmfgssl` imports
# without installing it.

MMFGSSL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

torchrun_launch() {
    local nproc=$1 script=$2
    shift 2
    PYTHONPATH="$MMFGSSL_ROOT":$PYTHONPATH \
    python -m torch.distributed.run \
        --nnodes="${NNODES:-1}" \
        --node_rank="${NODE_RANK:-0}" \
        --master_addr="${MASTER_ADDR:-127.0.0.1}" \
        --nproc_per_node="$nproc" \
        --master_port="${PORT:-29500}" \
        "$script" "$@"
}

srun_launch() {
    local partition=$1 job_name=$2 script=$3
    shift 3
    local gpus_per_node=${GPUS_PER_NODE:-8}
    # SRUN_ARGS is unquoted on purpose: it holds several srun options.
    # shellcheck disable=SC2086
    PYTHONPATH="$MMFGSSL_ROOT":$PYTHONPATH \
    srun -p "$partition" \
        --job-name="$job_name" \
        --gres=gpu:"$gpus_per_node" \
        --ntasks="${GPUS:-8}" \
        --ntasks-per-node="$gpus_per_node" \
        --cpus-per-task="${CPUS_PER_TASK:-5}" \
        --kill-on-bad-exit=1 \
        ${SRUN_ARGS:-} \
        python -u "$script" "$@"
}
