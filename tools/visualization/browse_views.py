"""Write a PNG grid of the training views that a config's pipeline makes.

One row per image: the loaded image with its ground-truth box (red), then
each view of the config's ``MultiView`` (the two SSL views), with what the
view pipeline drew into the results: saliency masks / pasted regions
(tinted and outlined), boxes in view pixels (yellow), and boxes in
normalised coordinates of the original image, e.g. ContrastiveCrop's box
and crop (``--ccrop-boxes`` a checkpoint of its hook), on the original
(cyan); see
:func:`mmfgssl.visualization.find_view_annotations`.

Example:
    python tools/visualization/browse_views.py \
        configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py \
        --num-images 4 --out work_dirs/views.png
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

from mmfgssl.datasets import bind_train_set
from mmfgssl.utils import add_cfg_options_argument

# view transforms that leave their pasted / cropped box in ``gt_bboxes``
BOX_AWARE = ('SaliencySwap', )


def parse_args():
    parser = argparse.ArgumentParser(
        description='PNG grid of the training views of a config')
    parser.add_argument('config')
    parser.add_argument('--out', required=True, help='the PNG file')
    parser.add_argument('--data-root', help='override the dataset root')
    parser.add_argument('--num-images', type=int, default=4)
    parser.add_argument(
        '--indices', type=int, nargs='+', help='dataset indices to show')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--ccrop-boxes',
        metavar='CHECKPOINT',
        help='crop the ContrastiveCrop views in the boxes of this '
        "checkpoint's ContrastiveCropHook table (without: the warm-up's "
        'RandomResizedCrop)')
    add_cfg_options_argument(parser)
    return parser.parse_args()


def innermost(dataset_cfg):
    while 'pipeline' not in dataset_cfg and 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg


def load_box_table(checkpoint, num_samples):
    """The active :class:`~mmfgssl.datasets.BoxTable` saved by
    ContrastiveCropHook in ``checkpoint``."""
    from mmfgssl.datasets import BoxTable
    from mmfgssl.engine.hooks.contrastive_crop_hook import CHECKPOINT_KEY
    state = torch.load(checkpoint, map_location='cpu').get(CHECKPOINT_KEY)
    if state is None:
        raise KeyError(f'--ccrop-boxes {checkpoint}: no "{CHECKPOINT_KEY}" '
                       'entry (a run with ContrastiveCropHook saves it)')
    table = BoxTable(num_samples)
    table.load_state_dict(state, f'--ccrop-boxes {checkpoint}')
    table.set_active(True)
    return table


def make_views(pipeline, results, dataset=None, box_table=None):
    """Apply the pipeline up to the views; returns (results given to the
    view pipelines, [view outputs]). Its ``'train_set'`` backgrounds draw
    from ``dataset``, as in training; its ContrastiveCrops read
    ``box_table`` (as ContrastiveCropHook sets it)."""
    from mmfgssl.datasets import ContrastiveCrop, find_transforms

    def is_contrastive_crop(transform):
        return isinstance(transform, ContrastiveCrop)

    for t_cfg in pipeline:
        if t_cfg['type'] == 'PackInputs':
            break
        transform = TRANSFORMS.build(t_cfg)
        if dataset is not None:
            bind_train_set([transform], dataset)
        if box_table is not None:
            crops = find_transforms([transform], is_contrastive_crop)
            for crop in crops:
                crop.box_table = box_table
        if t_cfg['type'] in ('MultiView', 'MultiViewWithMask'):
            return results, [(view(copy.deepcopy(results)), box_aware(view))
                             for view in transform.transforms]
        results = transform(results)
    return results, [(results, False)]  # no MultiView: one training image


def box_aware(view):
    """Whether a view pipeline writes ``gt_bboxes`` in view pixels."""
    return any(
        type(t).__name__ in BOX_AWARE for t in getattr(view, 'transforms', []))


def rgb(img):
    return mmcv.bgr2rgb(np.asarray(img, dtype=np.uint8))


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    import matplotlib.pyplot as plt

    from mmfgssl.visualization import find_view_annotations, save_figure
    from mmfgssl.visualization.drawing import draw_boxes, draw_masks

    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    pipeline = innermost(dataset_cfg)['pipeline']
    innermost(dataset_cfg)['pipeline'] = []
    if args.data_root:
        innermost(dataset_cfg)['data_root'] = args.data_root
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        dataset = DATASETS.build(dataset_cfg)
        indices = args.indices or list(
            range(min(args.num_images, len(dataset))))
        random.seed(args.seed)
        np.random.seed(args.seed)
        torch.manual_seed(args.seed)
        box_table = load_box_table(args.ccrop_boxes,
                                   len(dataset)) if args.ccrop_boxes else None
        rows = []
        for idx in indices:
            info = copy.deepcopy(dataset.get_data_info(idx))
            before, views = make_views(pipeline, info, dataset, box_table)
            rows.append((info, before, views))
    num_cols = 1 + max(len(v) for _, _, v in rows)
    fig, axes = plt.subplots(
        len(rows),
        num_cols,
        figsize=(2.2 * num_cols, 2.2 * len(rows)),
        squeeze=False)
    for r, (info, before, views) in enumerate(rows):
        original = before.get('img')
        if original is None:
            original = mmcv.imread(info['img_path'])
        ax = axes[r][0]
        ax.imshow(rgb(original))
        ax.set_title(
            f'#{indices[r]} {osp.basename(info["img_path"])}', fontsize=6)
        ax.axis('off')
        if 'gt_bboxes' in before:
            draw_boxes(ax, before['gt_bboxes'], 'red', 'gt')
        height, width = np.asarray(original).shape[:2]
        drawn = []
        for v, (view, boxes_in_view) in enumerate(views):
            found = find_view_annotations(before, view, boxes_in_view)
            ax = axes[r][1 + v]
            ax.imshow(rgb(view['img']))
            draw_masks(ax, found['masks'])
            for key, boxes in found['view_boxes']:
                draw_boxes(ax, boxes, 'yellow', key)
            for key, boxes in found['original_boxes']:
                if any(k == key and np.allclose(b, boxes) for k, b in drawn):
                    continue  # e.g. the one box both views crop in
                drawn.append((key, boxes))
                draw_boxes(
                    axes[r][0],
                    boxes,
                    'cyan',
                    f'{key} (view {v + 1})',
                    scale=(width, height))
            names = [k for k, _ in found['masks'] + found['view_boxes']]
            ax.set_title(
                f'view {v + 1}' + (f': {", ".join(names)}' if names else ''),
                fontsize=6)
            ax.axis('off')
        for ax in axes[r][1 + len(views):]:
            ax.axis('off')
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    save_figure(fig, args.out)
    print(f'wrote {args.out} ({len(rows)} images x {num_cols - 1} views)')


if __name__ == '__main__':
    main()
