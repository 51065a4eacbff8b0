# Copyright (c) OpenMMLab. All rights reserved.
"""Matplotlib drawing helpers for the picture tools (PNG files)."""
from typing import Dict, List, Tuple

import matplotlib

matplotlib.use('Agg')  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

__all__ = [
    'find_view_annotations', 'overlay_heatmap', 'save_figure', 'show_image'
]

MASK_WORDS = ('mask', 'saliency', 'paste', 'seg')
BOX_WORDS = ('box', 'bbox')


def _changed(key, before: dict, after: dict) -> bool:
    if key not in before:
        return True
    a, b = before[key], after[key]
    try:
        return not (np.shape(a) == np.shape(b) and np.array_equal(a, b))
    except Exception:  # not comparable: treat as changed
        return True


def find_view_annotations(before: dict,
                          after: dict,
                          gt_bboxes_in_view: bool = False) -> Dict[str, list]:
    """What a view pipeline drew into the results, to show on the view.

    Keys whose name holds ``mask`` / ``saliency`` / ``paste`` and whose value
    is a 2-D array of the view's size are masks (saliency masks, DiLo pasted
    regions); keys holding ``box`` / ``bbox`` with ``(..., 4)`` values are
    boxes (ContrastiveCrop boxes): values in [0, 1] are normalised
    coordinates of the ORIGINAL image, other values pixels of the view.
    Only keys the view pipeline added or changed count. ``gt_bboxes`` counts
    only with ``gt_bboxes_in_view`` (a box-aware crop such as SaliencySwap
    wrote its pasted box there): otherwise it holds the dataset's box, which
    mmcv's ``RandomFlip`` flips but ``RandomResizedCrop`` does not crop, so
    it does not match the view.

    Args:
        before (dict): Results given to the view pipeline.
        after (dict): Its output.
        gt_bboxes_in_view (bool): Whether ``gt_bboxes`` of the output is in
            view pixels. Defaults to False.

    Returns:
        dict: ``masks``: [(key, H x W bool)], ``view_boxes`` and
        ``original_boxes``: [(key, K x 4 float)].
    """
    out = dict(masks=[], view_boxes=[], original_boxes=[])
    img = after.get('img')
    if img is None:
        return out
    size = np.asarray(img).shape[:2]
    for key, value in after.items():
        name = key.lower()
        if key == 'img' or not _changed(key, before, after) or (
                key == 'gt_bboxes' and not gt_bboxes_in_view):
            continue
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        if any(w in name for w in MASK_WORDS) and arr.shape[:2] == size \
                and arr.ndim in (2, 3):
            mask = arr if arr.ndim == 2 else arr.max(axis=2)
            out['masks'].append((key, mask > 0))
        elif any(w in name for w in BOX_WORDS) and arr.size \
                and arr.shape[-1] == 4:
            boxes = arr.reshape(-1, 4)
            target = 'original_boxes' if (
                boxes.min() >= 0 and boxes.max() <= 1) else 'view_boxes'
            out[target].append((key, boxes))
    return out


def show_image(ax, rgb: np.ndarray, title: str = '') -> None:
    """Show an RGB uint8 image without axes."""
    ax.imshow(rgb)
    ax.set_title(title, fontsize=7)
    ax.axis('off')


def draw_boxes(ax,
               boxes: np.ndarray,
               color: str,
               label: str = '',
               scale: Tuple[float, float] = (1., 1.)) -> None:
    """Draw ``K x 4`` xyxy boxes (multiplied by ``scale`` = (sx, sy))."""
    for x1, y1, x2, y2 in np.asarray(boxes, dtype=np.float64).reshape(-1, 4):
        x1, x2 = x1 * scale[0], x2 * scale[0]
        y1, y2 = y1 * scale[1], y2 * scale[1]
        ax.add_patch(
            Rectangle((x1, y1),
                      x2 - x1,
                      y2 - y1,
                      fill=False,
                      edgecolor=color,
                      linewidth=1.2))
        if label:
            ax.text(x1, y1, label, color=color, fontsize=5, va='bottom')


def draw_masks(ax, masks: List[Tuple[str, np.ndarray]]) -> None:
    """Tint each mask (one colour per mask) and outline it."""
    colours = plt.get_cmap('tab10')
    for i, (key, mask) in enumerate(masks):
        rgba = np.zeros(mask.shape + (4, ))
        rgba[mask] = colours(i % 10)[:3] + (0.35, )
        ax.imshow(rgba)
        ax.contour(
            mask.astype(float),
            levels=[0.5],
            colors=[colours(i % 10)],
            linewidths=0.8)


def overlay_heatmap(ax,
                    rgb: np.ndarray,
                    heat: np.ndarray,
                    title: str = '') -> None:
    """An H x W map in [0, 1] (at the image's size) over the image."""
    ax.imshow(rgb)
    ax.imshow(heat, cmap='jet', alpha=0.5, vmin=0, vmax=1)
    ax.set_title(title, fontsize=7)
    ax.axis('off')


def save_figure(fig, path: str) -> str:
    """Write a figure to a PNG file and close it."""
    fig.savefig(path, dpi=120, bbox_inches='tight')
    plt.close(fig)
    return path
