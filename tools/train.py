"""Train a model from an mmfgssl (or mmpretrain) config.

Same command-line contract as mmpretrain's ``tools/train.py``. On a machine
without CUDA the config is adapted at launch (gloo process group, DDP without
``device_ids``, SyncBN built as BN): see :mod:`mmfgssl.utils.runtime`.
"""
import argparse

from mmfgssl.engine import RandomStateHook
from mmfgssl.utils import (adapt_cfg_to_cpu, add_train_arguments, build_runner,
                           check_num_classes, check_train_schedule,
                           load_config, merge_train_args,
                           parse_with_local_rank)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    return parse_with_local_rank(add_train_arguments(parser), argv)


def main():
    args = parse_args()
    # an mmdet config without the detection stack fails here, naming the
    # command that installs it
    cfg = load_config(args.config)
    cfg = merge_train_args(cfg, args)

    adapt_cfg_to_cpu(cfg, args.launcher)

    runner = build_runner(cfg)
    # an epoch of 0 iterations, or a MoCo queue that the batches do not fill
    # evenly, is refused here rather than "trained" or failed mid-epoch
    check_train_schedule(runner)
    # a classifier (linear probe, fine-tune) whose class count is not its
    # training set's
    check_num_classes(runner, 'train_dataloader')
    # random states saved with every checkpoint, restored on resume
    if not any(isinstance(h, RandomStateHook) for h in runner.hooks):
        runner.register_hook(RandomStateHook())
    runner.train()


if __name__ == '__main__':
    main()
