# Copyright (c) OpenMMLab. All rights reserved.
"""A synthetic fine-grained "birds" set in CUB-200-2011's on-disk layout.

Each image shows one bird-like object with a random pose on a background.
Classes differ only in the object. Two kinds of set:

* ``background='clutter'`` (the default, the original set): object colours
  and cluttered backgrounds come from one distribution shared by all
  classes; classes differ only in small object details.
* ``background='photo'`` or ``'texture'`` (the *background-shortcut* set):
  every image gets its own salient background, a recoloured crop of one of
  the photographs scikit-image ships or a recoloured wave texture, and the
  object's hue belongs to its class. Two random crops of one image then
  match most easily by their background, a shortcut that tells nothing
  about the class: what self-supervised methods that localise the object
  are meant to avoid.

Needs numpy and Pillow (and scikit-image for ``'photo'``).
"""
import os
import os.path as osp
from typing import Sequence

import numpy as np
from PIL import Image

from .synthetic_drawing import (ATTRIBUTES, BACKGROUNDS, class_attributes,
                                render_sample)

__all__ = [
    'make_synthetic_cub', 'ATTRIBUTES', 'BACKGROUNDS', 'class_attributes',
    'render_sample'
]


def _write_lines(path, lines):
    with open(path, 'w', newline='\n') as f:
        f.writelines(f'{line}\n' for line in lines)


def make_synthetic_cub(out_dir: str,
                       num_classes: int = 10,
                       train_per_class: int = 20,
                       test_per_class: int = 10,
                       img_size: int = 96,
                       seed: int = 0,
                       progress: bool = False,
                       background: str = 'clutter',
                       object_scale: Sequence[float] = (0.45, 0.62),
                       object_colour: str = 'random') -> dict:
    """Write a synthetic fine-grained set in CUB-200-2011's layout.

    Writes ``images/``, ``segmentations/`` (masks, 255 = object),
    ``images.txt``, ``classes.txt``, ``image_class_labels.txt``,
    ``train_test_split.txt``, ``bounding_boxes.txt`` (tight boxes of the
    masks) and ``README.txt`` into ``out_dir``, replacing files of the same
    names. Image ``n`` of class ``c`` is rendered by :func:`render_sample`
    with key ``(seed, c, n)``; the first ``train_per_class`` images of a
    class are for training. Same arguments give byte-identical files.

    Args:
        out_dir (str): Output folder, created if missing.
        num_classes (int): Number of classes, 1 to 144. Defaults to 10.
        train_per_class (int): Training images per class. Defaults to 20.
        test_per_class (int): Test images per class. Defaults to 10.
        img_size (int): Side of the square images. Defaults to 96.
        seed (int): Non-negative random seed. Defaults to 0.
        progress (bool): Show an mmengine progress bar. Defaults to False.
        background (str): The kind of background of every image, see
            :func:`render_sample`: ``'clutter'`` (one distribution for all
            images), ``'photo'`` or ``'texture'`` (a unique, salient
            background per image: the background-shortcut set).
            Defaults to 'clutter'.
        object_scale (Sequence[float]): Range of the object's length over
            the image side. Defaults to (0.45, 0.62).
        object_colour (str): ``'random'`` (object colours from the shared
            distribution) or ``'class'`` (class ``c`` of ``K`` has body hue
            ``c / K`` up to a jitter of 0.02). Defaults to 'random'.

    Returns:
        dict: ``out_dir``, ``num_images``, ``num_train``, ``num_test``,
        ``classes`` (folder names), ``attributes`` (one dict per class),
        ``mean_fg_fraction`` (mean object area over image area) and
        ``files`` (paths of the annotation files).
    """
    if img_size < 32 or seed < 0 or min(train_per_class, test_per_class) < 0:
        raise ValueError('need img_size >= 32, seed >= 0 and image counts '
                         '>= 0')
    if object_colour not in ('random', 'class'):
        raise ValueError("object_colour must be 'random' or 'class', got "
                         f'{object_colour!r}')
    attributes = class_attributes(num_classes)
    names = ['_'.join(filter(None, a.values())) for a in attributes]
    folders = [f'{c + 1:03d}.{name}' for c, name in enumerate(names)]
    per_class = train_per_class + test_per_class
    if progress:
        from mmengine.utils import ProgressBar
        bar = ProgressBar(num_classes * per_class)
    rows, fg = [], []  # rows: (image_id, path, class_id, is_train, box)
    for c, attrs in enumerate(attributes):
        for sub in ('images', 'segmentations'):
            os.makedirs(osp.join(out_dir, sub, folders[c]), exist_ok=True)
        for n in range(per_class):
            stem = f'{folders[c]}/{names[c]}_{n + 1:04d}'
            image, mask = render_sample(
                attrs,
                img_size, (seed, c, n),
                background=background,
                object_scale=object_scale,
                hue=c / num_classes if object_colour == 'class' else None)
            Image.fromarray(image).save(
                osp.join(out_dir, 'images', stem + '.jpg'), quality=90)
            Image.fromarray(mask.astype(np.uint8) * 255, 'L').save(
                osp.join(out_dir, 'segmentations', stem + '.png'))
            ys, xs = np.nonzero(mask)
            box = (xs.min(), ys.min(), np.ptp(xs) + 1, np.ptp(ys) + 1)
            rows.append(
                (len(rows) + 1, stem + '.jpg', c + 1, int(n < train_per_class),
                 ' '.join(f'{float(v):.1f}' for v in box)))
            fg.append(mask.mean())
            if progress:
                bar.update()
    files = {
        k: osp.join(out_dir, f'{k}.txt')
        for k in ('images', 'classes', 'image_class_labels',
                  'train_test_split', 'bounding_boxes')
    }
    for k, column in (('images', 1), ('image_class_labels', 2),
                      ('train_test_split', 3), ('bounding_boxes', 4)):
        _write_lines(files[k], [f'{row[0]} {row[column]}' for row in rows])
    _write_lines(files['classes'],
                 [f'{c + 1} {f}' for c, f in enumerate(folders)])
    if background == 'clutter':
        about = ['and tail; backgrounds are shared by all classes.']
    else:
        about = [
            f'and tail; every image has its own {background} background,',
            'unique and salient, that says nothing about the class.'
        ]
    if object_colour == 'class':
        about.append('The body hue of the object belongs to its class.')
    readme = [
        'SYNTHETIC images in the layout of CUB-200-2011, not real birds.',
        'Classes differ only in wing markings, crest, eye ring, bib, beak',
        *about, 'Made by mmfgssl.datasets.synthetic_cub.make_synthetic_cub(',
        f'    num_classes={num_classes}, train_per_class={train_per_class}, '
        f'test_per_class={test_per_class}, img_size={img_size}, seed={seed},',
        f'    background={background!r}, object_scale='
        f'{tuple(object_scale)}, object_colour={object_colour!r})'
    ]
    _write_lines(osp.join(out_dir, 'README.txt'), readme)
    return dict(
        out_dir=out_dir,
        num_images=len(rows),
        num_train=num_classes * train_per_class,
        num_test=num_classes * test_per_class,
        classes=folders,
        attributes=attributes,
        mean_fg_fraction=float(np.mean(fg)) if fg else 0.,
        files=files)
