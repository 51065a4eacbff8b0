"""Evaluate a checkpoint with a config's test loop.

Same command-line contract as mmpretrain's ``tools/test.py`` (the subset that
applies to self-supervised benchmarks). On a machine without CUDA the config
is adapted at launch as in ``tools/train.py``.
"""
import argparse

from mmfgssl.utils import (adapt_cfg_to_cpu, add_cfg_options_argument,
                           add_launcher_arguments, build_runner,
                           check_num_classes, load_config,
                           merge_options_keeping_test_with_val,
                           parse_with_local_rank, set_work_dir)


def parse_args(argv=None):
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
    add_cfg_options_argument(parser)
    parser.add_argument(
        '--amp', action='store_true', help='enable mixed precision')
    return parse_with_local_rank(add_launcher_arguments(parser), argv)


def main():
    args = parse_args()
    # an mmdet config without the detection stack fails here, naming the
    # command that installs it
    cfg = load_config(args.config)
    if args.cfg_options is not None:
        # an option on val_* also moves test_* where the config has them as
        # one loader (test_dataloader = val_dataloader)
        merge_options_keeping_test_with_val(cfg, args.cfg_options)
    cfg.launcher = args.launcher
    set_work_dir(cfg, args)
    cfg.load_from = args.checkpoint
    if args.amp:
        cfg.test_cfg.fp16 = True

    adapt_cfg_to_cpu(cfg, args.launcher)

    runner = build_runner(cfg)
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
