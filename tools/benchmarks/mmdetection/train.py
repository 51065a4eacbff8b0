"""Fine-tune an mmdet detector from an mmfgssl (or mmpretrain) checkpoint.

    python tools/benchmarks/mmdetection/train.py CONFIG CHECKPOINT [options]

CONFIG is an mmdet config (``configs/benchmarks/mmdetection/``), CHECKPOINT a
pre-training checkpoint. Its ``backbone.*`` tensors initialise the detector's
backbone and, for the C4 detectors, the shared head too: the C4 backbone has
no res5 (``num_stages=3``), the shared head ``ResLayer`` holds it as
``layer4``, so ``Pretrained(prefix='backbone.')`` on both modules takes each
its own stages from the same checkpoint. ``--prefix ''`` reads a checkpoint
whose keys are the backbone's own (``conv1.weight``, ...).

The other options are those of ``tools/train.py``, parsed and merged by the
same functions (:mod:`mmfgssl.utils.cli`); on a machine without CUDA the
config is adapted in the same way (SyncBN built as BN, gloo DDP under
torchrun).
"""
import argparse
import os.path as osp

from mmengine.config import ConfigDict

from mmfgssl.utils import (adapt_cfg_to_cpu, add_train_arguments, build_runner,
                           check_detection_stack, load_backbone, load_config,
                           merge_train_args, parse_with_local_rank)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Fine-tune an mmdet detector from a pre-trained '
        'checkpoint')
    parser.add_argument('config', help='mmdet config file path')
    parser.add_argument('checkpoint', help='pre-training checkpoint')
    parser.add_argument(
        '--prefix',
        default='backbone.',
        help='the prefix of the backbone keys in the checkpoint (default: '
        '"backbone."; "" for a checkpoint of the backbone alone)')
    return parse_with_local_rank(add_train_arguments(parser), argv)


def inject_checkpoint(cfg, checkpoint, prefix='backbone.'):
    """Initialise the backbone, and the shared head if there is one, from
    ``checkpoint``'s keys under ``prefix``, in place.

    Returns:
        list[str]: The config keys that were set.
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'pre-training checkpoint {checkpoint!r} '
                                'does not exist')
    init_cfg = dict(type='Pretrained', checkpoint=checkpoint)
    if prefix:
        init_cfg['prefix'] = prefix
    cfg.model.backbone.init_cfg = ConfigDict(init_cfg)
    keys = ['model.backbone.init_cfg']
    shared_head = cfg.model.get('roi_head', {}).get('shared_head')
    if shared_head is not None:
        shared_head.init_cfg = ConfigDict(init_cfg)
        keys.append('model.roi_head.shared_head.init_cfg')
    return keys


def check_checkpoint_keys(checkpoint, prefix):
    """Fail early, naming the file and the prefixes it has, when no key has
    the prefix (the check of ``tools/model_converters/extract_backbone.py``).
    """
    try:
        load_backbone(checkpoint, prefix)
    except ValueError as e:
        raise KeyError(
            f'{e}; pass --prefix to name the backbone keys, or '
            '--prefix "" for a checkpoint of the backbone alone') from None


def build_cfg(args):
    """The config the Runner is built from: the detection config, the
    checkpoint injected, the command-line options merged."""
    check_detection_stack()
    cfg = load_config(args.config)
    # mmdet's samples are batched as lists (the Runner's default), not
    # stacked by tools/train.py's default_collate
    for field in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(field, None) is not None:
            cfg[field].setdefault('collate_fn', dict(type='pseudo_collate'))
    inject_checkpoint(cfg, args.checkpoint, args.prefix)
    return merge_train_args(cfg, args)


def main(argv=None):
    args = parse_args(argv)
    # the config's custom_imports import mmfgssl, which allow-lists
    # mmengine's checkpoint contents for torch.load
    cfg = build_cfg(args)
    if args.prefix:
        check_checkpoint_keys(args.checkpoint, args.prefix)

    adapt_cfg_to_cpu(cfg, args.launcher)

    build_runner(cfg).train()


if __name__ == '__main__':
    main()
