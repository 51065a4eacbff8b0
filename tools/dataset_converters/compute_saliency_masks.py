"""Precompute DiLo's saliency masks (or raw saliency maps) for an image
folder, so training reads them instead of running a detector per image.

Every image under IMG_ROOT (recursively, by extension) gets
``OUT_ROOT/<relative path>.png``, the layout that
``LoadSaliencyMask(source=dict(kind='mask_file' | 'saliency_map',
root=OUT_ROOT, img_root=IMG_ROOT))`` and CVSA's
``SaliencyBoxSource(kind='saliency_map')`` read:

- default: the binary mask, 0 / 255 (read it with ``kind='mask_file'``);
- ``--save-map``: the detector's map in [0, 1] as gray levels 0-255, to be
  binarised at training time (``kind='saliency_map'``) or boxed by CVSA.

Example (the RBD-style detector, Otsu's rule, 8 processes):
    python tools/dataset_converters/compute_saliency_masks.py \
        data/CUB_200_2011/images data/CUB_200_2011/saliency_masks_rbd \
        --method background_prior --nproc 8
"""
import argparse
import os
import os.path as osp

import cv2
import numpy as np
from mmengine.utils import track_parallel_progress, track_progress

from mmfgssl.datasets import list_images
from mmfgssl.datasets.saliency import (BINARIZE_METHODS, SALIENCY_DETECTORS,
                                       compute_saliency, mirrored_path,
                                       saliency_to_mask)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Precompute saliency masks / maps of an image folder')
    parser.add_argument('img_root', help='the image folder')
    parser.add_argument('out_root', help='the output folder')
    parser.add_argument(
        '--method',
        default='background_prior',
        choices=sorted(SALIENCY_DETECTORS),
        help='the detector (default: the RBD-style background prior)')
    parser.add_argument(
        '--binarize',
        default='otsu',
        choices=BINARIZE_METHODS,
        help='the binarisation rule (see mmfgssl.datasets.saliency.mask)')
    parser.add_argument(
        '--threshold', type=float, default=0.5, help="for 'fixed'")
    parser.add_argument('--k', type=float, default=1.0, help="for 'mean_std'")
    parser.add_argument(
        '--save-map',
        action='store_true',
        help='write the saliency map (0-255) instead of the binary mask')
    parser.add_argument(
        '--overwrite', action='store_true', help='redo existing files')
    parser.add_argument('--nproc', type=int, default=1, help='processes')
    return parser.parse_args(argv)


def image_files(img_root):
    files = list_images(img_root, relative=True)
    if not files:
        raise ValueError(f'The image folder {img_root} has no images')
    return files


def process(job):
    """Compute and write one file; returns 'done', 'skipped' or 'empty'."""
    rel, args = job
    src = osp.join(args.img_root, rel)
    out = mirrored_path(src, args.img_root, args.out_root, '.png')
    if osp.exists(out) and not args.overwrite:
        return 'skipped'
    img = cv2.imread(src, cv2.IMREAD_COLOR)
    if img is None:
        raise OSError(f'Cannot read the image {src}')
    sal = compute_saliency(img, args.method)  # H x W in [0, 1]
    if args.save_map:
        result = np.rint(sal * 255).astype(np.uint8)
        empty = not result.any()
    else:
        mask = saliency_to_mask(
            sal, args.binarize, threshold=args.threshold, k=args.k)
        result = mask * np.uint8(255)
        empty = not mask.any()
    os.makedirs(osp.dirname(out), exist_ok=True)
    if not cv2.imwrite(out, result):
        raise OSError(f'Cannot write {out}')
    return 'empty' if empty else 'done'


def main(argv=None):
    args = parse_args(argv)
    files = image_files(args.img_root)
    jobs = [(rel, args) for rel in files]
    if args.nproc > 1:
        status = track_parallel_progress(
            process, jobs, args.nproc, chunksize=16)
    else:
        status = track_progress(process, jobs)
    counts = {s: status.count(s) for s in ('done', 'empty', 'skipped')}
    what = 'maps' if args.save_map else 'masks'
    print(f'{len(files)} images: {counts["done"] + counts["empty"]} {what} '
          f'written to {args.out_root} ({counts["empty"]} empty: nothing '
          f'salient), {counts["skipped"]} existing skipped')
    return counts


if __name__ == '__main__':
    main()
