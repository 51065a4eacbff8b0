# Copyright (c) OpenMMLab. All rights reserved.
"""Saliency map -> object box: a well-posed form of CVSA's Eq. 2.

CVSA (Align Yourself, AAAI 2022, Sec. 4.1, Eq. 2) asks for the box of
highest *average* saliency. Taken literally this is ill-posed: the single
brightest pixel has the highest average. This module solves instead

.. math::

    B^* = \\arg\\max_{B} \\sum_{(i, j) \\in B} (S_{ij} - t),

the box maximising the saliency *above a threshold* ``t``: a pixel pays
for its place in the box when its saliency exceeds ``t`` and costs when it
does not, so the box grows over the salient object and stops at the
background. This is the 2-D maximum-sum sub-array problem, solved exactly
in O(h^2 w) with prefix sums (:func:`max_sum_subarray_2d`) on an
area-downsampled copy of the map (at most ``max_side`` cells per side), so
its cost does not depend on the image resolution.
"""
from typing import Tuple

import cv2
import numpy as np

from .minmax import minmax_normalize


def max_sum_subarray_2d(gains: np.ndarray) -> Tuple[int, int, int, int, float]:
    """The axis-aligned sub-rectangle with the largest sum of a 2-D array.

    For every pair of rows ``top <= bottom`` the column sums of the band are
    read from column-wise prefix sums, and the best run of columns is the
    1-D maximum sub-array (prefix sum minus its running minimum), all pairs
    at once: O(h^2 w) time and memory.

    Args:
        gains (np.ndarray): ``h x w`` array of real numbers.

    Returns:
        tuple: ``(top, bottom, left, right, total)``, inclusive cell indices
        of the best non-empty rectangle and its sum. Ties go to the first
        pair of rows, then the first right column, then the first left one.
    """
    gains = np.asarray(gains, dtype=np.float64)
    if gains.ndim != 2 or gains.size == 0:
        raise ValueError(f'gains must be a non-empty 2-D array, got shape '
                         f'{gains.shape}')
    h, w = gains.shape
    # column-wise prefix sums over rows: (h + 1) x w
    row_prefix = np.concatenate([np.zeros((1, w)), gains.cumsum(0)], 0)
    tops, bottoms = np.triu_indices(h)  # all pairs top <= bottom: P
    band = row_prefix[bottoms + 1] - row_prefix[tops]  # band sums: P x w
    # prefix sums along the columns of each band: P x (w + 1)
    prefix = np.concatenate([np.zeros((len(tops), 1)), band.cumsum(1)], 1)
    # best sum of a run ending at column r: prefix[r+1] - min_{l<=r} prefix[l]
    run_min = np.minimum.accumulate(prefix[:, :-1], axis=1)  # P x w
    best_end = prefix[:, 1:] - run_min  # P x w
    flat = int(np.argmax(best_end))
    pair, right = divmod(flat, w)
    left = int(np.argmin(prefix[pair, :right + 1]))
    return (int(tops[pair]), int(bottoms[pair]), left, right,
            float(best_end[pair, right]))


def saliency_to_box(saliency: np.ndarray,
                    threshold: float = 0.5,
                    max_side: int = 64,
                    eps: float = 1e-6) -> Tuple[np.ndarray, bool]:
    """The box of a saliency map (well-posed CVSA Eq. 2, see module doc).

    The map is min-max normalised to [0, 1], area-downsampled so that its
    longer side has at most ``max_side`` cells, and the rectangle of cells
    maximising ``sum(S - threshold)`` is found by
    :func:`max_sum_subarray_2d`. Its cell edges are scaled back to pixel
    edges of the input map.

    A map that carries no location (constant, e.g. all zeros, or with
    non-finite values only) gives the whole image and ``ok=False``, so the
    caller can count and log the fallback. Non-finite values of an
    otherwise valid map count as 0 saliency.

    Args:
        saliency (np.ndarray): ``H x W`` map (any real range).
        threshold (float): ``t`` in (0, 1), on the normalised map.
            Defaults to 0.5.
        max_side (int): Longest side of the downsampled map. Defaults to 64.
        eps (float): A map whose range is below ``eps`` is constant.

    Returns:
        tuple[np.ndarray, bool]: The float32 box ``(x1, y1, x2, y2)`` in
        pixel-edge coordinates of the map, and whether it came from the map
        (False: whole-image fallback).
    """
    sal = np.asarray(saliency, dtype=np.float32)
    if sal.ndim == 3 and sal.shape[2] == 1:
        sal = sal[..., 0]
    if sal.ndim != 2 or min(sal.shape) < 1:
        raise ValueError(f'A saliency map must be H x W, got {sal.shape}')
    if not 0 < threshold < 1:
        raise ValueError(f'threshold must be in (0, 1), got {threshold}')
    h, w = sal.shape
    whole = np.array([0, 0, w, h], dtype=np.float32)
    finite = np.isfinite(sal)
    if not finite.any():
        return whole, False
    sal = np.where(finite, sal, 0).astype(np.float32)
    if float(sal.max()) - float(sal.min()) < eps:
        return whole, False
    sal = minmax_normalize(sal, np.float32)  # normalised map: H x W in [0, 1]
    scale = min(1.0, max_side / max(h, w))
    dw, dh = max(1, round(w * scale)), max(1, round(h * scale))
    if (dw, dh) != (w, h):
        sal = cv2.resize(sal, (dw, dh), interpolation=cv2.INTER_AREA)
    top, bottom, left, right, total = max_sum_subarray_2d(sal - threshold)
    if total <= 0:
        return whole, False
    box = np.array([
        left * w / dw, top * h / dh, (right + 1) * w / dw,
        (bottom + 1) * h / dh
    ])
    return box.astype(np.float32), True
