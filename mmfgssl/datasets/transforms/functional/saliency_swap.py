# Copyright (c) OpenMMLab. All rights reserved.
"""Pure helpers of SaliencySwap (CVSA, AAAI 2022, Sec. 4.1).

Boxes are integer ``(x1, y1, x2, y2)`` pixel edges (exclusive right/bottom),
so ``img[y1:y2, x1:x2]`` is the box. ``rng`` is a ``np.random.Generator``,
a ``RandomState`` or the ``np.random`` module (the default, whose global
state mmengine seeds per data-loader worker).
"""
import math
from typing import Sequence, Tuple

import numpy as np

from .random_draws import randint_inclusive

IntBox = Tuple[int, int, int, int]

__all__ = [
    'check_area_range', 'integer_box', 'sample_patch_in_box',
    'sample_paste_box', 'paste_patch'
]


def check_area_range(name: str, area_range: Tuple[float, float]) -> None:
    """Raise a ``ValueError`` naming ``name`` unless ``area_range`` is
    ``(low, high)`` with ``0 < low <= high <= 1`` (the area ratios of
    :func:`sample_patch_in_box` and :func:`sample_paste_box`)."""
    if not 0 < area_range[0] <= area_range[1] <= 1:
        raise ValueError(f'{name} must be within (0, 1], got {area_range}')


def _uniform(rng, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def integer_box(box: Sequence[float], img_w: int, img_h: int) -> IntBox:
    """The smallest integer box covering a float box, inside the image and
    at least 1 pixel wide and high."""
    x1, y1, x2, y2 = (float(v) for v in box)
    x1 = min(max(int(math.floor(x1)), 0), img_w - 1)
    y1 = min(max(int(math.floor(y1)), 0), img_h - 1)
    x2 = min(max(int(math.ceil(x2)), x1 + 1), img_w)
    y2 = min(max(int(math.ceil(y2)), y1 + 1), img_h)
    return x1, y1, x2, y2


def _size_for_area(area: float, aspect: float, log_ratio: Tuple[float, float],
                   max_w: int, max_h: int, rng) -> Tuple[int, int]:
    """Width and height of a rectangle of ``area`` that fits ``max_w x
    max_h``, its aspect ratio ``w / h`` drawn log-uniformly from
    ``log_ratio`` restricted to the ratios that fit (``aspect`` is the
    fallback when ``log_ratio`` is None: the closest ratio that fits)."""
    # the rectangle fits when area / max_h^2 <= w / h <= max_w^2 / area
    fit_low = math.log(area / max_h**2)
    fit_high = math.log(max_w**2 / area)
    if log_ratio is None:
        log_r = min(max(math.log(aspect), fit_low), fit_high)
    else:
        low, high = max(log_ratio[0], fit_low), min(log_ratio[1], fit_high)
        if low <= high:
            log_r = _uniform(rng, low, high)
        else:  # no ratio of the range fits: the closest one that does
            log_r = fit_low if fit_low > log_ratio[1] else fit_high
    ratio = math.exp(log_r)
    w = min(max(int(round(math.sqrt(area * ratio))), 1), max_w)
    h = min(max(int(round(math.sqrt(area / ratio))), 1), max_h)
    return w, h


def sample_patch_in_box(box: IntBox,
                        scale_range: Tuple[float, float] = (0.5, 1.0),
                        ratio_range: Tuple[float, float] = (3. / 4., 4. / 3.),
                        rng=np.random) -> IntBox:
    """A random patch inside the foreground box (CVSA Sec. 4.1).

    The patch area is ``r * area(box)`` with ``r ~ U(scale_range)`` (the
    paper's ``U(lambda, 1)``), exactly up to rounding to whole pixels. The
    aspect ratio follows RandomResizedCrop's law (log-uniform in
    ``ratio_range``), restricted to the ratios for which the patch fits in
    the box; when none does (a box much more elongated than the range), the
    fitting ratio closest to the range. Unlike RandomResizedCrop's
    rejection sampling, which favours small areas, this keeps ``r``
    uniform. The position is uniform over the places where it fits.

    Args:
        box (tuple[int]): Integer foreground box ``(x1, y1, x2, y2)``.
        scale_range (tuple[float]): ``(lambda, 1)``, area ratios to the box.
        ratio_range (tuple[float]): Aspect ratio range ``w / h``.
        rng: Random number source. Defaults to ``np.random``.

    Returns:
        tuple[int]: The patch ``(x1, y1, x2, y2)``, inside ``box``.
    """
    bx1, by1, bx2, by2 = box
    box_w, box_h = bx2 - bx1, by2 - by1
    if box_w < 1 or box_h < 1:
        raise ValueError(f'Empty box {box}')
    check_area_range('scale_range', scale_range)
    area = _uniform(rng, *scale_range) * box_w * box_h
    log_ratio = (math.log(ratio_range[0]), math.log(ratio_range[1]))
    w, h = _size_for_area(area, 1.0, log_ratio, box_w, box_h, rng)
    x1 = bx1 + randint_inclusive(rng, 0, box_w - w)
    y1 = by1 + randint_inclusive(rng, 0, box_h - h)
    return x1, y1, x1 + w, y1 + h


def sample_paste_box(img_w: int,
                     img_h: int,
                     patch_w: int,
                     patch_h: int,
                     area_range: Tuple[float, float] = (0.5, 1.0),
                     rng=np.random) -> IntBox:
    """Where to paste a patch on a background (CVSA Sec. 4.1, mode II).

    The pasted area is ``a * img_w * img_h`` with ``a ~ U(area_range)`` (the
    paper's ``U(beta, 1)``), its aspect ratio the patch's own, or the
    closest one that fits the background, at a uniformly random location.

    Args:
        img_w (int): Background width.
        img_h (int): Background height.
        patch_w (int): Patch width.
        patch_h (int): Patch height.
        area_range (tuple[float]): ``(beta, 1)``.
        rng: Random number source. Defaults to ``np.random``.

    Returns:
        tuple[int]: The paste box ``(x1, y1, x2, y2)`` on the background.
    """
    check_area_range('area_range', area_range)
    area = _uniform(rng, *area_range) * img_w * img_h
    w, h = _size_for_area(area, patch_w / patch_h, None, img_w, img_h, rng)
    x1 = randint_inclusive(rng, 0, img_w - w)
    y1 = randint_inclusive(rng, 0, img_h - h)
    return x1, y1, x1 + w, y1 + h


def paste_patch(background: np.ndarray, resized_patch: np.ndarray,
                box: IntBox) -> Tuple[np.ndarray, np.ndarray]:
    """Paste a patch already resized to ``box`` and make the view's mask.

    Args:
        background (np.ndarray): ``H x W x 3`` image.
        resized_patch (np.ndarray): ``(y2 - y1) x (x2 - x1) x 3`` patch.
        box (tuple[int]): ``(x1, y1, x2, y2)`` on the background.

    Returns:
        tuple[np.ndarray, np.ndarray]: The composite (a copy) and its
        ``H x W`` uint8 saliency mask, 1 over the pasted region (the
        ``M_v`` of CVSA Eq. 5).
    """
    x1, y1, x2, y2 = box
    if resized_patch.shape[:2] != (y2 - y1, x2 - x1):
        raise ValueError(f'Patch of shape {resized_patch.shape[:2]} does not '
                         f'match the box {box}')
    out = background.copy()
    out[y1:y2, x1:x2] = resized_patch
    mask = np.zeros(background.shape[:2], np.uint8)  # H x W
    mask[y1:y2, x1:x2] = 1
    return out, mask
