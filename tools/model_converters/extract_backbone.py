"""Extract the backbone of an mmfgssl checkpoint (any algorithm).

Keeps the online ``backbone.`` weights (never the momentum / target copy) and
writes ``{'meta': ..., 'state_dict': ...}`` with the ``backbone.`` prefix
kept, loadable with ``init_cfg=dict(type='Pretrained', checkpoint=OUT,
prefix='backbone.')``; ``--strip-prefix`` writes bare keys instead.

Example::

    python tools/model_converters/extract_backbone.py \\
        work_dirs/cvsa/epoch_400.pth cvsa_r50_backbone.pth
"""
import argparse
import os.path as osp
import sys

import torch

from mmfgssl.utils import add_converter_arguments, load_backbone


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Extract the backbone of an mmfgssl checkpoint')
    add_converter_arguments(parser)
    parser.add_argument(
        '--strip-prefix',
        action='store_true',
        help='write bare keys (conv1.weight) instead of backbone.conv1.weight')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        checkpoint, backbone = load_backbone(
            args.checkpoint, args.prefix, keep_prefix=not args.strip_prefix)
    except ValueError as e:
        sys.exit(f'error: {e}')
    meta = dict(checkpoint.get('meta') or {}) if 'state_dict' in checkpoint \
        else {}
    meta.update(
        extracted_from=args.checkpoint
        if '://' in args.checkpoint else osp.abspath(args.checkpoint),
        backbone_prefix=args.prefix,
        prefix_kept=not args.strip_prefix)
    torch.save(dict(meta=meta, state_dict=backbone), args.out_file)
    print(f'wrote {len(backbone)} backbone entries of {args.checkpoint} '
          f'to {args.out_file}')


if __name__ == '__main__':
    main()
