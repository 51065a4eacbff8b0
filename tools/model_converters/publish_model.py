"""Publish a checkpoint: keep ``meta`` and ``state_dict`` only (drop the
optimizer, schedulers, message hub) and put the first 8 hex digits of the
file's SHA-256 in its name.

Example::

    python tools/model_converters/publish_model.py \\
        work_dirs/cvsa/epoch_400.pth cvsa_resnet50_cub.pth
    # -> cvsa_resnet50_cub-1a2b3c4d.pth
"""
import argparse
import sys

import torch

from mmfgssl.utils import (add_converter_arguments, publish_checkpoint,
                           save_published)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Strip a checkpoint and add its hash to the name')
    add_converter_arguments(
        parser,
        out_help='output name; -{sha256[:8]}.pth is appended',
        with_prefix=False)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    checkpoint = torch.load(args.checkpoint, map_location='cpu')
    try:
        published = publish_checkpoint(checkpoint, args.checkpoint)
        final = save_published(published, args.out_file)
    except (ValueError, FileNotFoundError) as e:
        sys.exit(f'error: {e}')
    print(f'published {args.checkpoint} as {final}')


if __name__ == '__main__':
    main()
