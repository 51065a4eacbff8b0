"""Run the same configs on GPU clusters and on CPU-only machines.

mmengine's ``launcher='pytorch'`` always calls ``torch.cuda.set_device`` and
wraps the model with ``device_ids=[LOCAL_RANK]``, and ``SyncBN`` needs CUDA, so
a multi-process run on a machine without GPU (``torchrun`` + gloo) fails. These
helpers adapt a config at launch time instead of forking the configs:

* the process group is created here with gloo (mmengine skips its own
  initialisation when one exists);
* the model is wrapped by ``MMDistributedDataParallel`` with
  ``device_ids=None``;
* ``SyncBN`` layers are built as ``BN``.

On GPUs nothing is changed: NCCL and SyncBN are used as configured.
"""
import os
from typing import Any

import torch
import torch.distributed as torch_dist
from mmengine.logging import print_log

__all__ = [
    'replace_sync_bn', 'init_cpu_distributed', 'cpu_distributed_model_wrapper',
    'adapt_cfg_to_cpu'
]

SYNC_BN_TYPES = ('SyncBN', 'MMSyncBN', 'SyncBatchNorm')


def replace_sync_bn(cfg: Any, norm_type: str = 'BN') -> int:
    """Replace every SyncBN norm config by ``norm_type``, in place.

    Args:
        cfg (dict | list | Any): A (nested) model config.
        norm_type (str): The norm layer type to use instead. Defaults to 'BN'.

    Returns:
        int: How many norm configs were replaced.
    """
    count = 0
    if isinstance(cfg, dict):
        if cfg.get('type') in SYNC_BN_TYPES:
            cfg['type'] = norm_type
            count += 1
        for value in cfg.values():
            count += replace_sync_bn(value, norm_type)
    elif isinstance(cfg, (list, tuple)):
        for value in cfg:
            count += replace_sync_bn(value, norm_type)
    return count


def init_cpu_distributed(backend: str = 'gloo') -> None:
    """Create the default process group from torchrun's environment.

    Reads ``RANK`` and ``WORLD_SIZE`` (set by ``torchrun``); does nothing when
    a process group already exists.

    Args:
        backend (str): A CPU-capable backend. Defaults to 'gloo'.
    """
    if torch_dist.is_initialized():
        return
    missing = [
        k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT')
        if k not in os.environ
    ]
    if missing:
        raise RuntimeError(
            f'launcher="pytorch" needs the environment variables {missing}; '
            'start the job with torchrun (tools/dist_train.sh).')
    torch_dist.init_process_group(
        backend=backend,
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']))


def cpu_distributed_model_wrapper(
        find_unused_parameters: bool = False) -> dict:
    """``model_wrapper_cfg`` for DDP on CPU processes (no ``device_ids``)."""
    return dict(
        type='MMDistributedDataParallel',
        device_ids=None,
        broadcast_buffers=False,
        find_unused_parameters=find_unused_parameters)


def adapt_cfg_to_cpu(cfg, launcher: str = 'none') -> None:
    """Adapt a training/test config in place when no GPU is available.

    Replaces SyncBN by BN in ``cfg.model``; for a distributed launcher also
    sets the gloo backend, creates the process group and wraps the model
    without ``device_ids``. A no-op when CUDA is available.

    Args:
        cfg (mmengine.Config): The config the Runner will be built from.
        launcher (str): 'none', 'pytorch' or 'slurm'.
    """
    if torch.cuda.is_available():
        return
    num = replace_sync_bn(cfg.model)
    if num:
        print_log(
            f'No CUDA device: {num} SyncBN norm configs are built as BN.',
            logger='current')
    if launcher == 'none':
        return
    if launcher != 'pytorch':
        raise RuntimeError(
            f'launcher={launcher!r} needs GPUs; on a CPU-only machine start '
            'distributed runs with torchrun (tools/dist_train.sh).')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = \
        'gloo'
    init_cpu_distributed('gloo')
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = cpu_distributed_model_wrapper(
            cfg.get('find_unused_parameters', False))
    print_log(
        f'No CUDA device: distributed on CPU with gloo, world size '
        f'{torch_dist.get_world_size()}.',
        logger='current')
