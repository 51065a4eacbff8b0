# Copyright (c) OpenMMLab. All rights reserved.
"""Precompute saliency maps and boxes for a whole dataset.

Runs an unsupervised detector of :mod:`mmfgssl.datasets.saliency`
(``spectral_residual``, ``fine_grained``, ``background_prior``) on every
image of a dataset, writes each map as an 8-bit PNG under ``OUT`` with the
image's path relative to ``--img-root`` (the layout
``SaliencyBoxSource(kind='saliency_map', root=OUT, img_root=...)``
reads), and the boxes of well-posed CVSA Eq. 2
(:func:`~mmfgssl.datasets.saliency.saliency_to_box`) to ``OUT/boxes.json``.

Resumable: a map already on disk is not recomputed (maps are written to a
temporary file and renamed, so an interrupted run leaves no partial map);
the boxes are always recomputed from the maps (so another ``--threshold``
costs only the box search). Images whose map is empty or constant get the
whole image as box; they are counted, listed in ``OUT/fallbacks.txt`` and
reported. When the samples carry ground-truth boxes (``gt_bboxes``), the
mean IoU of the saliency boxes with them is reported too.

Example:
    python tools/dataset_converters/compute_saliency_boxes.py \\
        data/CUB_200_2011/saliency/background_prior \\
        --dataset CUBWithBoxes --data-root data/CUB_200_2011 --split train \\
        --method background_prior
"""
import argparse
import json
import os
import os.path as osp
import time

import mmcv
import numpy as np
import torch
from mmengine.utils import ProgressBar
from mmpretrain.registry import DATASETS

from mmfgssl.datasets.saliency import (SALIENCY_DETECTORS, compute_saliency,
                                       mirrored_path, saliency_to_box)
from mmfgssl.models.utils import paired_box_iou


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Precompute saliency maps and boxes for a dataset')
    parser.add_argument('out_dir', help='output folder of maps and boxes')
    parser.add_argument(
        '--dataset', required=True, help='dataset type, e.g. CUBWithBoxes')
    parser.add_argument('--data-root', required=True, help='dataset root')
    parser.add_argument(
        '--split', help='split argument of the dataset (if it has one)')
    parser.add_argument(
        '--data-prefix', help='data_prefix argument of the dataset')
    parser.add_argument(
        '--method',
        default='background_prior',
        choices=sorted(SALIENCY_DETECTORS),
        help='saliency detector')
    parser.add_argument(
        '--img-root',
        help='folder the map paths are relative to (default: the common '
        'folder of all image paths)')
    parser.add_argument(
        '--threshold', type=float, default=0.5, help='Eq. 2 threshold t')
    parser.add_argument(
        '--max-side', type=int, default=64, help='box search resolution')
    return parser.parse_args(argv)


def build_dataset(args):
    cfg = dict(type=args.dataset, data_root=args.data_root, pipeline=[])
    if args.split:
        cfg['split'] = args.split
    if args.data_prefix:
        cfg['data_prefix'] = args.data_prefix
    return DATASETS.build(cfg)


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    dataset = build_dataset(args)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    paths = [info['img_path'] for info in infos]
    img_root = args.img_root or osp.commonpath(
        [osp.dirname(osp.abspath(p)) for p in paths])
    os.makedirs(args.out_dir, exist_ok=True)

    boxes, fallbacks, computed, with_gt = {}, [], 0, []
    progress = ProgressBar(len(paths))
    for path, info in zip(paths, infos):
        rel = osp.relpath(osp.abspath(path), img_root)
        if rel.startswith('..'):
            raise ValueError(f'{path} is not under --img-root {img_root}')
        map_path = mirrored_path(
            osp.abspath(path), img_root, args.out_dir, '.png')
        if osp.isfile(map_path):
            sal = mmcv.imread(map_path, flag='grayscale')
            if sal is None:
                raise OSError(f'Cannot read the map {map_path}; delete it '
                              'to recompute it')
            sal = sal.astype(np.float32) / 255.
        else:
            img = mmcv.imread(path, flag='unchanged')
            if img is None:
                raise OSError(f'Cannot read the image {path}')
            sal = compute_saliency(img, args.method)  # H x W in [0, 1]
            os.makedirs(osp.dirname(map_path), exist_ok=True)
            tmp = map_path + '.tmp.png'
            mmcv.imwrite(np.round(sal * 255).astype(np.uint8), tmp)
            os.replace(tmp, map_path)
            computed += 1
        box, ok = saliency_to_box(sal, args.threshold, args.max_side)
        boxes[rel] = [round(float(v), 2) for v in box]
        if not ok:
            fallbacks.append(rel)
        if info.get('gt_bboxes') is not None:
            with_gt.append((box, np.asarray(info['gt_bboxes'])[0]))
        progress.update()

    with open(osp.join(args.out_dir, 'boxes.json'), 'w') as f:
        json.dump(
            dict(
                img_root=img_root,
                method=args.method,
                threshold=args.threshold,
                max_side=args.max_side,
                boxes=boxes), f)
    with open(osp.join(args.out_dir, 'fallbacks.txt'), 'w') as f:
        f.writelines(rel + '\n' for rel in fallbacks)
    print(f'\n{len(paths)} images: {computed} maps computed, '
          f'{len(paths) - computed} already on disk; {len(fallbacks)} '
          f'empty or constant maps fell back to the whole image '
          f'(listed in {osp.join(args.out_dir, "fallbacks.txt")}). '
          f'img_root={img_root}. {time.time() - start:.1f} s.')
    ious = []
    if with_gt:
        found, gt = (torch.as_tensor(np.array(b), dtype=torch.float64)
                     for b in zip(*with_gt))  # N x 4 each
        ious = paired_box_iou(found, gt).tolist()
        print(f'IoU with the ground-truth boxes (threshold {args.threshold}):'
              f' mean {np.mean(ious):.3f}, IoU >= 0.5 for '
              f'{np.mean(np.array(ious) >= 0.5):.3f} of the images.')
    return dict(
        num_images=len(paths),
        computed=computed,
        fallbacks=fallbacks,
        img_root=img_root,
        ious=ious)


if __name__ == '__main__':
    main()
