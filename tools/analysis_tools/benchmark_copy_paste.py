"""Per-image cost of DiLo's data pipeline steps: the saliency mask
(LoadSaliencyMask: each detector, or a mask file) and the copy-and-paste
itself (CopyPasteBackground with prob=1: each background and blending), in
one process, on the images of a folder.

Example:
    python tools/analysis_tools/benchmark_copy_paste.py \
        data/synthetic_cub/images --num-images 50 \
        --mask-root data/synthetic_cub/segmentations
"""
import argparse
import time

import mmcv
import numpy as np
from mmengine.registry import init_default_scope
from mmpretrain.registry import TRANSFORMS

import mmfgssl  # noqa: F401  (registers the transforms)
from mmfgssl.datasets import list_images


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('img_root', help='an image folder (recursive)')
    parser.add_argument('--num-images', type=int, default=50)
    parser.add_argument(
        '--mask-root', help='mask files mirroring img_root (also timed)')
    parser.add_argument(
        '--texture-root', help='a texture folder (default: img_root)')
    parser.add_argument('--repeats', type=int, default=3)
    return parser.parse_args()


def timed(transform, samples, repeats):
    """Median over ``repeats`` of the mean milliseconds per image."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for s in samples:
            transform(dict(s))
        runs.append((time.perf_counter() - start) * 1000 / len(samples))
    return float(np.median(runs))


def main():
    args = parse_args()
    init_default_scope('mmpretrain')
    paths = list_images(args.img_root)
    paths = paths[::max(1, len(paths) // args.num_images)][:args.num_images]
    if not paths:
        raise ValueError(f'No images under {args.img_root}')
    samples = [dict(img=mmcv.imread(p), img_path=p) for p in paths]
    shapes = {s['img'].shape[:2] for s in samples}
    print(f'{len(samples)} images of {args.img_root}, sizes '
          f'{sorted(shapes)[:3]}{" ..." if len(shapes) > 3 else ""}')

    sources = {
        f'detector {m}': dict(kind='detector', method=m)
        for m in ('background_prior', 'spectral_residual', 'fine_grained')
    }
    if args.mask_root:
        sources['mask_file'] = dict(
            kind='mask_file', root=args.mask_root, img_root=args.img_root)
    rbd = TRANSFORMS.build(dict(type='LoadSaliencyMask'))
    with_mask = [rbd(dict(s)) for s in samples]
    for name, source in sources.items():
        t = TRANSFORMS.build(dict(type='LoadSaliencyMask', source=source))
        print(f'LoadSaliencyMask {name:30s} '
              f'{timed(t, samples, args.repeats):8.2f} ms/image')
    texture = args.texture_root or args.img_root
    for bg in (dict(type='gray'), dict(type='folder', root=texture)):
        for blending in ('none', 'gaussian'):
            t = TRANSFORMS.build(
                dict(
                    type='CopyPasteBackground',
                    prob=1.0,
                    background=bg,
                    blending=blending))
            print(f'CopyPasteBackground {bg["type"]:6s} {blending:9s}'
                  f'{"":12s}{timed(t, with_mask, args.repeats):8.2f} '
                  'ms/image')


if __name__ == '__main__':
    main()
