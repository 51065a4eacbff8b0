"""Train a model from an mmfgssl (or mmpretrain) config.

Same command-line contract as mmpretrain's ``tools/train.py``. On a machine
without CUDA the config is adapted at launch (gloo process group, DDP without
``device_ids``, SyncBN built as BN): see :mod:`mmfgssl.utils.runtime`.
"""
import argparse
import os
import os.path as osp
from copy import deepcopy

from mmengine.config import ConfigDict, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner


def add_train_arguments(parser):
    """The options after the config (shared with the detection launcher
    ``tools/benchmarks/mmdetection/train.py``)."""
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint; without a path, from the latest '
        'checkpoint in the work directory')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='enable automatic mixed precision training')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual total batch size over '
        '`auto_scale_lr.base_batch_size`')
    parser.add_argument(
        '--no-pin-memory',
        action='store_true',
        help='disable pin_memory in the dataloaders')
    parser.add_argument(
        '--no-persistent-workers',
        action='store_true',
        help='disable persistent_workers in the dataloaders')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, as key=value pairs (e.g. '
        'train_cfg.max_epochs=2 "model.backbone.frozen_stages=2")')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    args = add_train_arguments(parser).parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_args(cfg, args):
    """Merge the command-line arguments into the config."""
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])

    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume

    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True

    if args.cfg_options is not None:
        # an option on val_* also moves test_* where the config has them as
        # one loader (test_dataloader = val_dataloader)
        from mmfgssl.utils import merge_options_keeping_test_with_val
        merge_options_keeping_test_with_val(cfg, args.cfg_options)

    defaults = ConfigDict(
        pin_memory=True,
        persistent_workers=True,
        collate_fn=dict(type='default_collate'))
    for field in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(field, None) is None:
            continue
        loader = deepcopy(defaults)
        loader.update(cfg[field])
        if args.no_pin_memory:
            loader.pin_memory = False
        if args.no_persistent_workers or loader.get('num_workers', 0) == 0:
            loader.persistent_workers = False
        cfg[field] = loader
    return cfg


def main():
    args = parse_args()
    # an mmdet config without the detection stack fails here, naming the
    # command that installs it
    from mmfgssl.utils import load_config
    cfg = load_config(args.config)
    cfg = merge_args(cfg, args)

    from mmfgssl.utils import (adapt_cfg_to_cpu, check_num_classes,
                               check_train_schedule)
    adapt_cfg_to_cpu(cfg, args.launcher)

    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    # an epoch of 0 iterations, or a MoCo queue that the batches do not fill
    # evenly, is refused here rather than "trained" or failed mid-epoch
    check_train_schedule(runner)
    # a classifier (linear probe, fine-tune) whose class count is not its
    # training set's
    check_num_classes(runner, 'train_dataloader')
    # random states saved with every checkpoint, restored on resume
    from mmfgssl.engine import RandomStateHook
    if not any(isinstance(h, RandomStateHook) for h in runner.hooks):
        runner.register_hook(RandomStateHook())
    runner.train()


if __name__ == '__main__':
    main()
