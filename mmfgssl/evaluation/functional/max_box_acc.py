"""MaxBoxAcc: box localisation accuracy of class activation maps.

Choe et al., "Evaluating Weakly Supervised Object Localization Methods
Right", CVPR 2020, section 4 (the metric of CVSA, AAAI 2022, Table 1).
For each threshold of a grid, every CAM is binarised, the box around its
largest connected region is compared with the ground-truth boxes, and an
image counts as localised when the best IoU is >= 0.5; MaxBoxAcc is the
best accuracy over the thresholds.
"""
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
from scipy import ndimage
from torchvision import ops

from mmfgssl.datasets.saliency.minmax import minmax_normalize

__all__ = [
    'largest_component_box', 'box_iou', 'box_hits', 'max_box_acc',
    'summarize_box_hits', 'default_cam_thresholds'
]

# 8-connectivity, as the contours (cv2.findContours) of Choe et al.'s code
_EIGHT = np.ones((3, 3), dtype=bool)


def default_cam_thresholds(interval: float = 0.01) -> np.ndarray:
    """The threshold grid of Choe et al. (``cam_curve_interval=0.01``):
    ``0, interval, 2 * interval, ... < 1``."""
    return np.arange(0, 1, interval)


def largest_component_box(mask: np.ndarray) -> Optional[np.ndarray]:
    """The box around the largest 8-connected region of a binary mask.

    Args:
        mask (np.ndarray): H x W booleans.

    Returns:
        np.ndarray | None: ``(x1, y1, x2, y2)`` in pixel-edge coordinates
        (the region's columns ``x1 .. x2 - 1``, as the datasets' ``gt_bboxes``
        ``x, y, x + w, y + h``), or None for an empty mask. Of regions of
        equal size the first in raster order wins.
    """
    labels, num = ndimage.label(mask, structure=_EIGHT)
    if num == 0:
        return None
    sizes = np.bincount(labels.ravel())[1:]  # pixels per region
    rows, cols = np.nonzero(labels == int(np.argmax(sizes)) + 1)
    return np.array(
        [cols.min(), rows.min(),
         cols.max() + 1,
         rows.max() + 1],
        dtype=np.float64)


def box_iou(box: np.ndarray, gt_boxes: np.ndarray) -> np.ndarray:
    """IoU of one ``(x1, y1, x2, y2)`` box with each of K boxes (K x 4)."""
    gt_boxes = torch.as_tensor(
        np.asarray(gt_boxes, np.float64).reshape(-1, 4))  # K x 4
    box = torch.as_tensor(np.asarray(box, np.float64)).reshape(1, 4)
    iou = ops.box_iou(box, gt_boxes)[0]  # K
    return torch.nan_to_num(iou, nan=0.).numpy()  # an empty union: 0


def box_hits(cam: np.ndarray,
             gt_boxes: np.ndarray,
             thresholds: Optional[Sequence[float]] = None,
             iou_threshold: float = 0.5) -> np.ndarray:
    """Whether one CAM localises its object, at each threshold.

    The CAM is min-max normalised; at threshold t the mask is ``cam > t``
    (strictly, as ``cv2.threshold(..., THRESH_BINARY)`` in Choe et al.'s
    code); the box around its largest connected region is a hit when its
    IoU with any ground-truth box is >= ``iou_threshold``. An empty mask is
    a miss.

    Args:
        cam (np.ndarray): H x W activation map, in the pixel grid of the
            boxes.
        gt_boxes (np.ndarray): K x 4 ``(x1, y1, x2, y2)`` boxes.
        thresholds (Sequence[float], optional): The grid; defaults to
            :func:`default_cam_thresholds`.
        iou_threshold (float): Defaults to 0.5.

    Returns:
        np.ndarray: T booleans, one per threshold.
    """
    if thresholds is None:
        thresholds = default_cam_thresholds()
    cam = minmax_normalize(cam)  # a constant CAM: all 0
    hits = np.zeros(len(thresholds), dtype=bool)
    for i, t in enumerate(thresholds):
        box = largest_component_box(cam > t)
        if box is not None:
            hits[i] = box_iou(box, gt_boxes).max() >= iou_threshold
    return hits


def max_box_acc(
        cams: Sequence[np.ndarray],
        gt_boxes: Sequence[np.ndarray],
        thresholds: Optional[Sequence[float]] = None,
        iou_threshold: float = 0.5) -> Dict[str, Union[float, np.ndarray]]:
    """MaxBoxAcc of a set of CAMs (Choe et al., CVPR 2020).

    Args:
        cams (Sequence[np.ndarray]): One H x W map per image.
        gt_boxes (Sequence[np.ndarray]): One K x 4 box array per image.
        thresholds (Sequence[float], optional): The CAM threshold grid.
        iou_threshold (float): Defaults to 0.5.

    Returns:
        dict: ``max_box_acc`` (percent), ``best_threshold`` (the first
        threshold reaching it) and ``accuracies`` (percent per threshold).
    """
    if len(cams) != len(gt_boxes) or not len(cams):
        raise ValueError(f'need as many CAMs as box sets (> 0), got '
                         f'{len(cams)} and {len(gt_boxes)}')
    if thresholds is None:
        thresholds = default_cam_thresholds()
    hits = np.stack([
        box_hits(c, b, thresholds, iou_threshold)
        for c, b in zip(cams, gt_boxes)
    ])  # N x T
    return summarize_box_hits(hits, thresholds)


def summarize_box_hits(
        hits: np.ndarray,
        thresholds: Sequence[float]) -> Dict[str, Union[float, np.ndarray]]:
    """Accuracy per threshold and its maximum from N x T hit flags."""
    acc = 100.0 * np.asarray(hits, dtype=np.float64).mean(axis=0)  # T
    best = int(np.argmax(acc))
    return dict(
        max_box_acc=float(acc[best]),
        best_threshold=float(thresholds[best]),
        accuracies=acc)
