"""The ContrastiveCrop box of a few images across the updates of a run.

Reads the box table that ``ContrastiveCropHook`` saves in every epoch
checkpoint of WORK_DIR (``ckpt['contrastive_crop']['boxes']``: N x 4
normalised x0, y0, x1, y1, row ``i`` = dataset index ``i`` of the training
set) and the run's config (the ``*.py`` that mmengine dumps into the work
dir, or ``--config``) to find the training images. Writes a PNG with one
row per image and one column per saved epoch whose table differs from the
previous saved one (the first saved epoch always; ``--all-epochs``: every
saved epoch), the box of that epoch drawn on the image.

Layout (pixels, so that a box can be found in the file): every cell is a
``--cell-size`` S square under a title strip of ``TITLE`` pixels, cells are
``PAD`` apart and from the border; the image is resized to a longer side of
S (aspect kept) at the top-left of its square; the cell of row ``r``,
column ``c`` starts at ``x = PAD + c * (S + PAD)``,
``y = PAD + r * (TITLE + S + PAD) + TITLE``. The box of column ``c`` is a
2-pixel rectangle (cv2) in ``COLOURS[c % len(COLOURS)]`` (BGR); from the
second column on, the box of the previous column is drawn first in thin
white, to show the move.

Example:
    python tools/visualization/vis_ccrop_boxes.py \
        work_dirs/byol-ccrop_resnet18_1xb32-coslr-100e_synthcub \
        --indices 0 5 9 --out work_dirs/ccrop_boxes.png
"""
import argparse
import copy
import glob
import os
import os.path as osp
import re

import cv2
import mmcv
import numpy as np
import torch
from browse_views import innermost
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATASETS

PAD = 4
TITLE = 14
# BGR: yellow, magenta, cyan, orange, green, red, blue
COLOURS = [(0, 255, 255), (255, 0, 255), (255, 255, 0), (0, 128, 255),
           (0, 255, 0), (0, 0, 255), (255, 0, 0)]
CHECKPOINT_KEY = 'contrastive_crop'


def parse_args():
    parser = argparse.ArgumentParser(
        description='ContrastiveCrop boxes of a few images across epochs')
    parser.add_argument('work_dir', help='holds epoch_*.pth (and the config)')
    parser.add_argument('--out', required=True, help='the PNG file')
    parser.add_argument(
        '--indices',
        type=int,
        nargs='+',
        default=[0, 1, 2, 3],
        help='dataset indices of the training set')
    parser.add_argument(
        '--config', help="the run's config (default: WORK_DIR/*.py)")
    parser.add_argument('--data-root', help='override the dataset root')
    parser.add_argument(
        '--all-epochs',
        action='store_true',
        help='one column per saved epoch, also where nothing changed')
    parser.add_argument('--cell-size', type=int, default=128)
    return parser.parse_args()


def find_config(work_dir, config=None):
    if config:
        return config
    found = sorted(glob.glob(osp.join(work_dir, '*.py')))
    if len(found) != 1:
        raise FileNotFoundError(
            f'{work_dir}: expected one dumped config *.py, found '
            f'{len(found)} ({found}); pass --config')
    return found[0]


def load_tables(work_dir):
    """[(epoch, N x 4 boxes)] of the epoch checkpoints, by epoch."""
    import mmfgssl  # noqa: F401  (allow-lists mmengine checkpoint globals)
    paths = glob.glob(osp.join(work_dir, 'epoch_*.pth'))
    epochs = sorted((int(re.search(r'epoch_(\d+)\.pth$', p).group(1)), p)
                    for p in paths if re.search(r'epoch_(\d+)\.pth$', p))
    tables, missing = [], []
    for epoch, path in epochs:
        ckpt = torch.load(path, map_location='cpu')
        state = ckpt.get(CHECKPOINT_KEY)
        if state is None or 'boxes' not in state:
            missing.append(osp.basename(path))
            continue
        tables.append((epoch, torch.as_tensor(state['boxes']).float()))
    if missing:
        print(f'skipped {len(missing)} checkpoint(s) without '
              f'"{CHECKPOINT_KEY}" boxes: {", ".join(missing)}')
    if not tables:
        raise FileNotFoundError(
            f'{work_dir}: no epoch_*.pth with ckpt["{CHECKPOINT_KEY}"]'
            '["boxes"] (a run with ContrastiveCropHook saves them)')
    return tables


def changed_columns(tables, all_epochs=False):
    """The first table and every one that differs from the previous."""
    if all_epochs:
        return list(tables)
    out = [tables[0]]
    for prev, cur in zip(tables, tables[1:]):
        if not torch.equal(prev[1], cur[1]):
            out.append(cur)
    return out


def fit(img, size):
    """Resize a BGR image to a longer side of ``size``."""
    h, w = img.shape[:2]
    scale = size / max(h, w)
    return mmcv.imresize(img,
                         (max(1, round(w * scale)), max(1, round(h * scale))))


def _rectangle(canvas, x, y, w, h, box, colour, thickness):
    """Draw a normalised box on the image of size (w, h) at (x, y)."""
    x0, y0, x1, y1 = box.tolist()
    cv2.rectangle(canvas, (x + round(x0 * w), y + round(y0 * h)),
                  (x + round(x1 * w), y + round(y1 * h)), colour, thickness)


def draw_grid(images, indices, columns, size):
    """The PNG canvas (BGR uint8) of the layout in the module docstring."""
    rows, cols = len(images), len(columns)
    canvas = np.full(
        (PAD + rows * (TITLE + size + PAD), PAD + cols * (size + PAD), 3),
        40,
        dtype=np.uint8)
    for r, (img, idx) in enumerate(zip(images, indices)):
        cell = fit(img, size)
        h, w = cell.shape[:2]
        for c, (epoch, boxes) in enumerate(columns):
            x, y = PAD + c * (size + PAD), PAD + r * (TITLE + size + PAD)
            cv2.putText(canvas, f'#{idx} epoch {epoch}', (x, y + TITLE - 3),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.35, (255, 255, 255), 1,
                        cv2.LINE_AA)
            y += TITLE
            canvas[y:y + h, x:x + w] = cell
            if c > 0:
                _rectangle(canvas, x, y, w, h, columns[c - 1][1][idx],
                           (255, 255, 255), 1)
            _rectangle(canvas, x, y, w, h, boxes[idx],
                       COLOURS[c % len(COLOURS)], 2)
    return canvas


def main():
    args = parse_args()
    tables = load_tables(args.work_dir)
    cfg = Config.fromfile(
        find_config(args.work_dir, args.config), import_custom_modules=False)
    dataset_cfg = copy.deepcopy(innermost(cfg.train_dataloader.dataset))
    dataset_cfg['pipeline'] = []
    if args.data_root:
        dataset_cfg['data_root'] = args.data_root
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        dataset = DATASETS.build(dataset_cfg)
    num_boxes = len(tables[0][1])
    if len(dataset) != num_boxes:
        raise ValueError(
            f'{args.work_dir}: the box tables hold {num_boxes} boxes, the '
            f'training set of the config has {len(dataset)} samples')
    bad = [i for i in args.indices if not 0 <= i < num_boxes]
    if bad:
        raise IndexError(f'--indices {bad} out of range [0, {num_boxes})')
    images = []
    for idx in args.indices:
        path = dataset.get_data_info(idx)['img_path']
        img = mmcv.imread(path)
        if img is None:
            raise FileNotFoundError(f'cannot read the image {path} '
                                    f'(dataset index {idx})')
        images.append(img)
    columns = changed_columns(tables, args.all_epochs)
    canvas = draw_grid(images, args.indices, columns, args.cell_size)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    mmcv.imwrite(canvas, args.out)
    epochs = ', '.join(str(e) for e, _ in columns)
    print(f'wrote {args.out} ({len(images)} images x {len(columns)} '
          f'epochs: {epochs})')


if __name__ == '__main__':
    main()
