# Copyright (c) OpenMMLab. All rights reserved.
"""make_polygon_cub.py, the independent second generator: the CUB loader
reads what it writes, each box is the tight box of its mask, the class is
in the object (its hue), and the same seed gives the same bytes."""
import colorsys
import filecmp
import os.path as osp
import sys

import mmcv
import numpy as np
from PIL import Image
from tool_runs import checked_call

from mmfgssl.datasets import CUBWithBoxes


def generate(out, seed=0):
    checked_call([
        sys.executable, 'tools/dataset_converters/make_polygon_cub.py', out,
        '--num-classes', '3', '--train-per-class', '4', '--test-per-class',
        '2', '--img-size', '48', '--seed',
        str(seed)
    ])


def test_layout_boxes_masks_and_class_hue(tmp_path):
    root = str(tmp_path / 'poly')
    generate(root)
    train = CUBWithBoxes(root, split='train', pipeline=[])
    test = CUBWithBoxes(root, split='test', pipeline=[])
    assert (len(train), len(test)) == (12, 6)
    hues = {}
    for i in range(len(train)):
        info = train.get_data_info(i)
        img = mmcv.imread(info['img_path'], channel_order='rgb')
        assert img.shape == (48, 48, 3)
        rel = osp.relpath(info['img_path'], osp.join(root, 'images'))
        mask = np.asarray(
            Image.open(
                osp.join(root, 'segmentations',
                         osp.splitext(rel)[0] + '.png'))) > 0
        ys, xs = np.nonzero(mask)
        x1, y1, x2, y2 = info['gt_bboxes'][0]
        # CUB's x y w h -> the loader's x1 y1 x2 y2, the mask's tight box
        assert (x1, y1) == (xs.min(), ys.min())
        assert (x2 - x1, y2 - y1) == (xs.max() - xs.min() + 1,
                                      ys.max() - ys.min() + 1)
        mean = img[mask].mean(0) / 255.
        hue = colorsys.rgb_to_hsv(*mean)[0]
        hues.setdefault(info['gt_label'], []).append(hue)
    # the class is the object's hue (classes c / 3 apart, jitter 0.02)
    for label, values in hues.items():
        centre = label / 3
        assert all(
            min(abs(h - centre), 1 - abs(h - centre)) < 0.08
            for h in values), (label, values)


def test_same_seed_same_bytes(tmp_path):
    a, b = str(tmp_path / 'a'), str(tmp_path / 'b')
    generate(a)
    generate(b)
    cmp = filecmp.dircmp(a, b)
    assert not cmp.diff_files and not cmp.left_only
    assert filecmp.cmp(
        osp.join(a, 'bounding_boxes.txt'),
        osp.join(b, 'bounding_boxes.txt'),
        shallow=False)
