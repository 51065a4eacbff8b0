# Copyright (c) OpenMMLab. All rights reserved.
"""Saliency map -> pixel-wise foreground mask, for DiLo's copy-and-paste.

DiLo (Distilling Localization for Self-Supervised Representation Learning,
AAAI 2021, Sec. 4 and 5.2) pastes "the foreground object estimated from the
saliency methods" onto other backgrounds, which needs a binary mask per
image. The paper does not say how its RBD / MC / GS maps were binarised;
this module offers three documented rules:

- ``'otsu'`` (the default for unsupervised maps): Otsu's threshold
  (Otsu, IEEE TSMC 1979) of the map's 256-bin histogram over [0, 1], the
  split maximising the between-class variance
  ``w0 w1 (mu0 - mu1)^2``; pixels at or above it are foreground.
- ``'mean_std'``: foreground where ``S > mean(S) + k std(S)``.
- ``'fixed'``: foreground where ``S >= threshold`` (the rule for
  ground-truth masks on disk, e.g. CUB's soft segmentations, whose gray
  level is the fraction of annotators that marked a pixel: 0.5 = majority).

A constant map (no structure, e.g. a detector's output on a flat image)
gives an empty mask with ``'otsu'`` and ``'mean_std'``.
"""
from typing import Tuple

import numpy as np
from skimage.filters import threshold_otsu

__all__ = ['BINARIZE_METHODS', 'otsu_threshold', 'saliency_to_mask']

BINARIZE_METHODS = ('otsu', 'mean_std', 'fixed')


def otsu_threshold(sal: np.ndarray, bins: int = 256) -> Tuple[float, bool]:
    """Otsu's threshold of a map with values in [0, 1].

    The histogram has ``bins`` equal bins over [0, 1] (values are clipped to
    it); a split after bin ``i`` puts bins ``0..i`` in the background class.
    The chosen split maximises ``w0 w1 (mu0 - mu1)^2`` with class weights
    ``w`` and class means ``mu`` of the bin centres (the first split on
    ties).

    Args:
        sal (np.ndarray): Map of any shape, values in [0, 1].
        bins (int): Histogram bins. Defaults to 256.

    Returns:
        tuple[float, bool]: The threshold (the lower edge of the first
        foreground bin), and False when the map has a single occupied bin
        (no split exists; the threshold is then above every value).
    """
    values = np.clip(np.asarray(sal, dtype=np.float64).ravel(), 0, 1)
    hist, edges = np.histogram(values, bins=bins, range=(0., 1.))
    occupied = np.flatnonzero(hist)
    if occupied.size < 2:
        return 1.0 + 1e-6, False
    # scikit-image's criterion on the occupied span of the histogram (its
    # class means are undefined on empty end bins); it returns the centre
    # of the last background bin
    lo, hi = occupied[0], occupied[-1] + 1
    centres = (edges[:-1] + edges[1:]) / 2  # bins
    centre = threshold_otsu(hist=(hist[lo:hi], centres[lo:hi]))
    split = lo + int(np.flatnonzero(centres[lo:hi] == centre)[0])
    return float(edges[split + 1]), True


def saliency_to_mask(sal: np.ndarray,
                     method: str = 'otsu',
                     threshold: float = 0.5,
                     k: float = 1.0,
                     min_range: float = 1e-6) -> np.ndarray:
    """Binarise a saliency map with one of :data:`BINARIZE_METHODS`.

    Args:
        sal (np.ndarray): ``H x W`` map with values in [0, 1].
        method (str): ``'otsu'``, ``'mean_std'`` or ``'fixed'`` (see the
            module docstring). Defaults to ``'otsu'``.
        threshold (float): The threshold of ``'fixed'``. Defaults to 0.5.
        k (float): The ``k`` of ``'mean_std'``. Defaults to 1.0.
        min_range (float): A map whose ``max - min`` is below this has no
            structure and gives an empty mask with ``'otsu'`` and
            ``'mean_std'``. Defaults to 1e-6.

    Returns:
        np.ndarray: ``H x W`` uint8 mask, 1 = foreground.
    """
    if method not in BINARIZE_METHODS:
        raise ValueError(f'Unknown binarisation method {method!r}; choose '
                         f'one of {BINARIZE_METHODS}')
    sal = np.nan_to_num(np.asarray(sal, dtype=np.float32))
    if sal.ndim != 2:
        raise ValueError(f'Expected an H x W saliency map, got shape '
                         f'{sal.shape}')
    if method == 'fixed':
        return (sal >= threshold).astype(np.uint8)
    if sal.size == 0 or float(sal.max() - sal.min()) < min_range:
        return np.zeros(sal.shape, np.uint8)
    if method == 'otsu':
        t, ok = otsu_threshold(sal)
        if not ok:
            return np.zeros(sal.shape, np.uint8)
        return (np.clip(sal, 0, 1) >= t).astype(np.uint8)
    return (sal > sal.mean() + k * sal.std()).astype(np.uint8)
