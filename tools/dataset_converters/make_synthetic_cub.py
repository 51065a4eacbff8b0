# Copyright (c) OpenMMLab. All rights reserved.
"""Generate a synthetic fine-grained set in CUB-200-2011's on-disk layout.

See :mod:`mmfgssl.datasets.synthetic_cub`. The default set (10 classes of
20 training and 10 test images, 96 px) takes a few seconds.

Examples:
    # the cluttered set (backgrounds shared by all classes)
    python tools/dataset_converters/make_synthetic_cub.py data/synthetic_cub
    # the background-shortcut set of the synthetic configs: a unique,
    # salient background per image, class hues, 64 px
    python tools/dataset_converters/make_synthetic_cub.py \
        data/synthetic_cub_bg --background photo --object-colour class \
        --img-size 64 --object-scale 0.35 0.55 --train-per-class 40
"""
import argparse
import time

from mmfgssl.datasets.synthetic_cub import BACKGROUNDS, make_synthetic_cub


def parse_args():
    parser = argparse.ArgumentParser(
        description='Generate a synthetic set in the layout of CUB-200-2011')
    parser.add_argument('out_dir', help='output folder (the data root)')
    parser.add_argument(
        '--num-classes', type=int, default=10, help='classes, 1 to 144')
    parser.add_argument(
        '--train-per-class', type=int, default=20, help='training images')
    parser.add_argument(
        '--test-per-class', type=int, default=10, help='test images')
    parser.add_argument(
        '--img-size', type=int, default=96, help='side of the images')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument(
        '--background',
        choices=BACKGROUNDS,
        default='clutter',
        help='clutter: one background distribution for all images; photo / '
        'texture: a unique, salient background per image (a recoloured crop '
        "of scikit-image's photographs / crossed gratings)")
    parser.add_argument(
        '--object-scale',
        type=float,
        nargs=2,
        default=(0.45, 0.62),
        metavar=('LOW', 'HIGH'),
        help='range of the object length over the image side')
    parser.add_argument(
        '--object-colour',
        choices=('random', 'class'),
        default='random',
        help='random: object colours shared by all classes; class: the body '
        'hue belongs to the class')
    return parser.parse_args()


def main():
    args = parse_args()
    start = time.time()
    summary = make_synthetic_cub(
        args.out_dir,
        num_classes=args.num_classes,
        train_per_class=args.train_per_class,
        test_per_class=args.test_per_class,
        img_size=args.img_size,
        seed=args.seed,
        progress=True,
        background=args.background,
        object_scale=args.object_scale,
        object_colour=args.object_colour)
    print(f'\nWrote {summary["num_images"]} images '
          f'({summary["num_train"]} train, {summary["num_test"]} test) of '
          f'{len(summary["classes"])} classes, {args.img_size} px, to '
          f'{summary["out_dir"]} in {time.time() - start:.1f} s; the object '
          f'covers {100 * summary["mean_fg_fraction"]:.1f}% of an image on '
          'average.')
    print('Classes:')
    for name in summary['classes']:
        print(f'  {name}')


if __name__ == '__main__':
    main()
