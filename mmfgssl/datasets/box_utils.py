# Copyright (c) OpenMMLab. All rights reserved.
"""Pure helpers for the ground-truth object box of fine-grained datasets.

Coordinate convention: every box handed to the pipeline is
``(x1, y1, x2, y2)``, float32, in pixel-edge coordinates of the stored
image, 0-based with exclusive right/bottom edges: the box covers the pixel
columns ``x1 <= u < x2`` and rows ``y1 <= v < y2``, and the whole ``w x h``
image is ``[0, 0, w, h]``. The on-disk conventions are converted to it:

- 1-based inclusive corners (Stanford Cars ``bbox_x1..bbox_y2``, FGVC
  Aircraft ``images_box.txt``): ``(x1 - 1, y1 - 1, x2, y2)``, see
  :func:`inclusive_to_xyxy`.
- top-left corner and size (CUB-200-2011 and NABirds
  ``<x> <y> <width> <height>``): ``(x, y, x + width, y + height)``, see
  :func:`xywh_to_xyxy`.
"""
from typing import Sequence, Tuple

import numpy as np


def xywh_to_xyxy(box_xywh: Sequence[float]) -> np.ndarray:
    """Convert a ``(x, y, width, height)`` box to ``(x1, y1, x2, y2)``.

    Args:
        box_xywh (Sequence[float]): Top-left corner and size, in pixels.

    Returns:
        np.ndarray: The float32 box ``(x, y, x + width, y + height)``.
    """
    x, y, w, h = np.asarray(box_xywh, dtype=np.float64).reshape(4)
    return np.array([x, y, x + w, y + h], dtype=np.float32)


def inclusive_to_xyxy(box: Sequence[float]) -> np.ndarray:
    """Convert 1-based inclusive pixel corners to ``(x1, y1, x2, y2)``.

    A box whose first and last pixels are columns ``1`` and ``w`` (rows
    ``1`` and ``h``) becomes ``[0, 0, w, h]``.

    Args:
        box (Sequence[float]): ``(xmin, ymin, xmax, ymax)``, 1-based,
            inclusive.

    Returns:
        np.ndarray: The float32 box ``(xmin - 1, ymin - 1, xmax, ymax)``.
    """
    x1, y1, x2, y2 = np.asarray(box, dtype=np.float64).reshape(4)
    return np.array([x1 - 1, y1 - 1, x2, y2], dtype=np.float32)


def sanitize_box(box_xyxy: Sequence[float], img_w: int,
                 img_h: int) -> Tuple[np.ndarray, str]:
    """Make a box valid for an image of size ``img_w x img_h``.

    A box reaching outside the image is clipped to it. A degenerate box
    (a non-finite coordinate, or less than 1 pixel wide or high after
    clipping) is replaced by the whole image ``[0, 0, img_w, img_h]``.

    Args:
        box_xyxy (Sequence[float]): ``(x1, y1, x2, y2)`` in pixels.
        img_w (int): Image width in pixels.
        img_h (int): Image height in pixels.

    Returns:
        tuple[np.ndarray, str]: The float32 box of shape (4,) and its status,
        ``'ok'`` (unchanged), ``'clipped'`` or ``'degenerate'``.
    """
    if img_w < 1 or img_h < 1:
        raise ValueError(f'Invalid image size {img_w}x{img_h}')
    box = np.asarray(box_xyxy, dtype=np.float64).reshape(4)
    whole = np.array([0, 0, img_w, img_h], dtype=np.float32)
    if not np.isfinite(box).all():
        return whole, 'degenerate'
    clipped = np.clip(box, 0, [img_w, img_h, img_w, img_h])
    if clipped[2] - clipped[0] < 1 or clipped[3] - clipped[1] < 1:
        return whole, 'degenerate'
    status = 'ok' if np.array_equal(clipped, box) else 'clipped'
    return clipped.astype(np.float32), status
