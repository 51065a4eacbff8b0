# Copyright (c) OpenMMLab. All rights reserved.
"""A second, independent generator of CUB-format sets: class polygons on
photographs.

``make_synthetic_cub.py`` draws birds; this script shares no code with it,
so that a verdict of ``tools/benchmarks/cost_and_gain.py --data-root`` can be
checked on a set the project's own generator did not make. Each image is

* a background: a random crop of one of scikit-image's bundled photographs,
  resized to the image size, its colour channels permuted and gamma-changed
  at random (unique per image, salient, unrelated to the class);
* one object: a star polygon whose number of points (3, 4, ...) and hue are
  the class, with random size (``--object-scale``, its diameter over the
  image side), rotation, inner radius, lightness and position.

Written in CUB-200-2011's layout: ``images/<class>/<name>.jpg``,
``segmentations/<class>/<name>.png`` (255 = object), ``images.txt``,
``classes.txt``, ``image_class_labels.txt``, ``train_test_split.txt`` and
``bounding_boxes.txt`` (``x y w h`` of each mask's tight box).

Example:
    python tools/dataset_converters/make_polygon_cub.py data/polygon_cub \
        --num-classes 10 --train-per-class 40 --test-per-class 30
"""
import argparse
import colorsys
import math
import os
import os.path as osp
import time

import numpy as np
from PIL import Image, ImageDraw
from skimage import data as skdata

PHOTOS = ('chelsea', 'cell', 'logo', 'astronaut', 'coffee', 'rocket',
          'immunohistochemistry', 'retina', 'hubble_deep_field')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Class polygons on photographs, in CUB-200-2011 layout')
    parser.add_argument('out_dir', help='output folder (the data root)')
    parser.add_argument('--num-classes', type=int, default=10)
    parser.add_argument('--train-per-class', type=int, default=40)
    parser.add_argument('--test-per-class', type=int, default=30)
    parser.add_argument('--img-size', type=int, default=64)
    parser.add_argument(
        '--object-scale',
        type=float,
        nargs=2,
        default=(0.35, 0.55),
        metavar=('LOW', 'HIGH'),
        help='range of the polygon diameter over the image side')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def load_photos():
    photos = []
    for name in PHOTOS:
        img = getattr(skdata, name)()
        if img.ndim == 2:
            img = np.stack([img] * 3, -1)
        photos.append(np.ascontiguousarray(img[..., :3]))
    return photos


def background(photos, size, rng):
    photo = photos[rng.integers(len(photos))]
    h, w = photo.shape[:2]
    side = int(rng.integers(min(h, w) // 4, min(h, w) // 2 + 1))
    y = int(rng.integers(0, h - side + 1))
    x = int(rng.integers(0, w - side + 1))
    crop = Image.fromarray(photo[y:y + side, x:x + side]).resize(
        (size, size), Image.BILINEAR)
    arr = np.asarray(crop, np.float64)[..., rng.permutation(3)] / 255.
    arr = arr**rng.uniform(0.6, 1.6)
    return (arr * 255).round().astype(np.uint8)


def star(cx, cy, radius, inner, points, angle):
    vertices = []
    for i in range(2 * points):
        r = radius if i % 2 == 0 else radius * inner
        a = angle + math.pi * i / points
        vertices.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return vertices


def main():
    args = parse_args()
    rng = np.random.default_rng(args.seed)
    photos = load_photos()
    size = args.img_size
    start = time.time()
    names = [f'{c + 1:03d}.Star{c + 3}' for c in range(args.num_classes)]
    lines = {k: [] for k in ('images', 'labels', 'split', 'boxes')}
    per_class = args.train_per_class + args.test_per_class
    total = args.num_classes * per_class
    index = 0
    for c, cls in enumerate(names):
        for sub in ('images', 'segmentations'):
            os.makedirs(osp.join(args.out_dir, sub, cls), exist_ok=True)
        hue = c / args.num_classes
        for n in range(per_class):
            index += 1
            img = Image.fromarray(background(photos, size, rng))
            mask = Image.new('L', (size, size), 0)
            diameter = size * rng.uniform(*args.object_scale)
            radius = diameter / 2
            cx = rng.uniform(radius, size - radius)
            cy = rng.uniform(radius, size - radius)
            poly = star(cx, cy, radius, rng.uniform(0.45, 0.7), c + 3,
                        rng.uniform(0, 2 * math.pi))
            rgb = colorsys.hls_to_rgb((hue + rng.uniform(-0.02, 0.02)) % 1,
                                      rng.uniform(0.4, 0.6),
                                      rng.uniform(0.8, 1.0))
            ImageDraw.Draw(img).polygon(
                poly, fill=tuple(int(255 * v) for v in rgb))
            ImageDraw.Draw(mask).polygon(poly, fill=255)
            m = np.asarray(mask) > 0
            ys, xs = np.nonzero(m)
            stem = f'{cls}/star_{n:04d}'
            img.save(
                osp.join(args.out_dir, 'images', stem + '.jpg'), quality=92)
            mask.save(osp.join(args.out_dir, 'segmentations', stem + '.png'))
            lines['images'].append(f'{index} {stem}.jpg')
            lines['labels'].append(f'{index} {c + 1}')
            lines['split'].append(f'{index} {int(n < args.train_per_class)}')
            lines['boxes'].append(f'{index} {xs.min()} {ys.min()} '
                                  f'{xs.max() - xs.min() + 1} '
                                  f'{ys.max() - ys.min() + 1}')
            print(f'\r{index}/{total} images', end='', flush=True)
    files = dict(
        images='images.txt',
        labels='image_class_labels.txt',
        split='train_test_split.txt',
        boxes='bounding_boxes.txt')
    for key, name in files.items():
        with open(osp.join(args.out_dir, name), 'w') as f:
            f.write('\n'.join(lines[key]) + '\n')
    with open(osp.join(args.out_dir, 'classes.txt'), 'w') as f:
        f.write('\n'.join(f'{i + 1} {n}' for i, n in enumerate(names)) + '\n')
    print(f'\nWrote {total} images of {args.num_classes} classes, {size} px, '
          f'to {args.out_dir} in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
