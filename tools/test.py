"""Evaluate a checkpoint with a config's test loop.

Same command-line contract as mmpretrain's ``tools/test.py`` (the subset that
applies to self-supervised benchmarks). On a machine without CUDA the config
is adapted at launch as in ``tools/train.py``.
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the directory to save the evaluation metrics')
    parser.add_argument(
        '--out', help='dump the metrics (and predictions) to this pickle')
    parser.add_argument(
        '--out-item',
        choices=['metrics', 'pred'],
        default='metrics',
        help='what to dump with --out: the metrics or the raw predictions')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, as key=value pairs')
    parser.add_argument(
        '--amp', action='store_true', help='enable mixed precision')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main():
    args = parse_args()
    # an mmdet config without the detection stack fails here, naming the
    # command that installs it
    from mmfgssl.utils import load_config
    cfg = load_config(args.config)
    if args.cfg_options is not None:
        # an option on val_* also moves test_* where the config has them as
        # one loader (test_dataloader = val_dataloader)
        from mmfgssl.utils import merge_options_keeping_test_with_val
        merge_options_keeping_test_with_val(cfg, args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.amp:
        cfg.test_cfg.fp16 = True

    from mmfgssl.utils import adapt_cfg_to_cpu, check_num_classes
    adapt_cfg_to_cpu(cfg, args.launcher)

    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    # a classifier whose class count is not the test set's
    check_num_classes(runner, 'test_dataloader')

    if args.out and args.out_item == 'pred':
        from mmengine.evaluator import DumpResults
        runner.test_evaluator.metrics.append(
            DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if args.out and args.out_item == 'metrics':
        from mmengine.fileio import dump
        dump(metrics, args.out)


if __name__ == '__main__':
    main()
