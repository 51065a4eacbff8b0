"""Attention overlays of one or two checkpoints on chosen images, as a PNG.

One row per image; after the image, for each checkpoint: the activation
heatmap (channel sum of the last stage), the GradCAM of its self-supervised
loss (LCR Eq. 3; the second view is the config's training view of the same
image, seeded) and, for a GFB checkpoint (MoCoGFB / BYOLGFB), the GFB
attention A' (LCR Eq. 4, 8) and, for a CVSA checkpoint, the correspondence
map C (CVSA Eqs. 3-4) of the image against its horizontal flip as the second
view (online conv predictor on the image, target conv projector on the
flip). Maps are min-max normalised per image, except C, a sigmoid shown on
its own (0, 1) scale.

Examples:
    python tools/visualization/vis_attention.py \
        configs/lcr/mocov2-gfb_resnet18_1xb32-coslr-100e_synthcub.py CKPT \
        --images a.jpg b.jpg --out attention.png
    # side by side: a second config / checkpoint
    python tools/visualization/vis_attention.py CFG1 CKPT1 \
        --compare CFG2 CKPT2 --num-images 4 --out compare.png
"""
import argparse
import copy
import os
import os.path as osp
import random

import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATASETS, TRANSFORMS


def parse_args():
    parser = argparse.ArgumentParser(
        description='activation / SSL GradCAM / GFB / CVSA overlays')
    parser.add_argument('config')
    parser.add_argument(
        'checkpoint', help="the checkpoint ('none': random init)")
    parser.add_argument(
        '--compare',
        nargs=2,
        metavar=('CONFIG', 'CHECKPOINT'),
        help='a second checkpoint, shown side by side')
    parser.add_argument('--images', nargs='+', help='image files')
    parser.add_argument(
        '--num-images',
        type=int,
        default=4,
        help="without --images: the first N of the config's test split")
    parser.add_argument('--data-root', help='override the dataset root')
    parser.add_argument('--split', default='test')
    parser.add_argument(
        '--img-size',
        type=int,
        help="crop size (default: the config's training crop)")
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', required=True, help='the PNG file')
    return parser.parse_args()


def crop_size(pipeline):
    """The output size of the first random crop of a (nested) pipeline."""
    pending = list(pipeline)
    while pending:
        t = pending.pop(0)
        if isinstance(t, list):
            pending = t + pending
        elif t['type'] in ('RandomResizedCrop', 'ContrastiveCrop'):
            scale = t['scale']
            return scale if isinstance(scale, int) else scale[0]
        elif 'transforms' in t:
            pending = list(t['transforms']) + pending
    return None


def view_pipeline(cfg):
    """The first view pipeline of the config's MultiView (or None)."""
    dataset = cfg.train_dataloader.dataset
    while 'pipeline' not in dataset:
        dataset = dataset['dataset']
    for t in dataset['pipeline']:
        if t['type'] == 'MultiView':
            return TRANSFORMS.build(t).transforms[0]
    return None


def image_paths(cfg, args):
    if args.images:
        return args.images
    dataset = copy.deepcopy(cfg.train_dataloader.dataset)
    while 'pipeline' not in dataset:
        dataset = dataset['dataset']
    dataset.update(split=args.split, pipeline=[])
    if args.data_root:
        dataset['data_root'] = args.data_root
    ds = DATASETS.build(dataset)
    return [
        ds.get_data_info(i)['img_path']
        for i in range(min(args.num_images, len(ds)))
    ]


def centre_crop(img, size):
    """Short edge to size / 0.875, centre crop ``size`` (BGR uint8)."""
    h, w = img.shape[:2]
    scale = round(size / 0.875) / min(h, w)
    img = mmcv.imresize(
        img, (round(w * scale), round(h * scale)), backend='pillow')
    h, w = img.shape[:2]
    top, left = (h - size) // 2, (w - size) // 2
    return img[top:top + size, left:left + size]


def maps_of(cfg, checkpoint, crops, args):
    """[(title, B x H x W maps)] of one checkpoint."""
    from mmfgssl.visualization import (activation_heatmap, cvsa_correspondence,
                                       gfb_attention, load_ssl_model,
                                       preprocess_image, ssl_loss_gradcam)
    random_init = checkpoint.lower() == 'none'
    model = load_ssl_model(cfg, None if random_init else checkpoint)
    inputs = torch.cat([preprocess_image(model, c) for c in crops])
    # parent folder / file: tells two epoch_N.pth of different runs apart
    name = 'random init' if random_init else osp.join(
        osp.basename(osp.dirname(osp.abspath(checkpoint))),
        osp.basename(checkpoint))
    out = [(f'{name}\nactivation', activation_heatmap(model, inputs))]
    views = view_pipeline(cfg)
    if views is not None and hasattr(model, 'loss'):
        random.seed(args.seed)
        np.random.seed(args.seed)
        torch.manual_seed(args.seed)
        second = []
        for crop in crops:
            view = views(
                dict(
                    img=crop.copy(),
                    img_shape=crop.shape[:2],
                    ori_shape=crop.shape[:2]))['img']
            view = mmcv.imresize(np.asarray(view), crop.shape[1::-1])
            second.append(preprocess_image(model, view))
        out.append((f'{name}\nGradCAM of SSL loss',
                    ssl_loss_gradcam(model, [inputs, torch.cat(second)])))
    gfb = gfb_attention(model, inputs)
    if gfb is not None:
        out.append((f'{name}\nGFB attention', gfb))
    # CVSA: the second view is the horizontal flip of the image
    flips = torch.cat([preprocess_image(model, c[:, ::-1]) for c in crops])
    corr = cvsa_correspondence(model, inputs, flips)
    if corr is not None:
        out.append((f'{name}\nCVSA correspondence C (vs flip)', corr))
    return out


def main():
    args = parse_args()
    import matplotlib.pyplot as plt

    from mmfgssl.visualization import overlay_heatmap, save_figure
    runs = [(args.config, args.checkpoint)]
    if args.compare:
        runs.append(tuple(args.compare))
    cfgs = [Config.fromfile(c) for c, _ in runs]
    import mmfgssl  # noqa: F401  (registers, also without custom_imports)
    with DefaultScope.overwrite_default_scope(cfgs[0].default_scope):
        paths = image_paths(cfgs[0], args)
        dataset = cfgs[0].train_dataloader.dataset
        while 'pipeline' not in dataset:
            dataset = dataset['dataset']
        size = args.img_size or crop_size(dataset['pipeline']) or 224
        crops = []
        for path in paths:
            img = mmcv.imread(path)
            if img is None:
                raise FileNotFoundError(f'cannot read the image {path}')
            crops.append(centre_crop(img, size))
        columns = []
        for cfg, (_, ckpt) in zip(cfgs, runs):
            columns += maps_of(cfg, ckpt, crops, args)
    fig, axes = plt.subplots(
        len(crops),
        1 + len(columns),
        figsize=(2.2 * (1 + len(columns)), 2.3 * len(crops)),
        squeeze=False)
    for r, crop in enumerate(crops):
        rgb = mmcv.bgr2rgb(crop)
        axes[r][0].imshow(rgb)
        axes[r][0].set_title(osp.basename(paths[r]), fontsize=6)
        axes[r][0].axis('off')
        for c, (title, maps) in enumerate(columns):
            overlay_heatmap(axes[r][1 + c], rgb, maps[r], title)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    save_figure(fig, args.out)
    print(f'wrote {args.out} ({len(crops)} images, {len(columns)} maps)')


if __name__ == '__main__':
    main()
