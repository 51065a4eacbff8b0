"""Convert the ResNet backbone of an mmfgssl checkpoint to torchvision.

Writes a plain state dict that ``torchvision.models.resnet50()`` (or 18 /
34 / 101 / 152, chosen from the blocks) loads with ``strict=True``. A
self-supervised backbone has no classifier, so a freshly initialised,
untrained ``fc`` of ``--num-classes`` outputs is added (``--no-fc`` leaves it
out; then load with ``strict=False`` or replace ``model.fc``).

Example::

    python tools/model_converters/mmfgssl2torchvision.py \\
        work_dirs/cvsa/epoch_400.pth cvsa_r50_torchvision.pth
    # torchvision.models.resnet50().load_state_dict(
    #     torch.load('cvsa_r50_torchvision.pth'))
"""
import argparse
import sys

import torch

from mmfgssl.utils import (add_converter_arguments, load_backbone,
                           mmpretrain_to_torchvision)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert an mmfgssl ResNet backbone to torchvision keys')
    add_converter_arguments(parser, out_help='output state dict (.pth)')
    parser.add_argument(
        '--num-classes',
        type=int,
        default=1000,
        help='outputs of the added, untrained fc (default: 1000)')
    parser.add_argument(
        '--no-fc', action='store_true', help='do not add an fc layer')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        _, backbone = load_backbone(
            args.checkpoint, args.prefix, keep_prefix=False)
        converted = mmpretrain_to_torchvision(
            backbone,
            num_classes=args.num_classes,
            add_fc=not args.no_fc,
            source=args.checkpoint)
    except ValueError as e:
        sys.exit(f'error: {e}')
    torch.save(converted, args.out_file)
    print(f'wrote {len(converted)} torchvision entries to {args.out_file}')


if __name__ == '__main__':
    main()
