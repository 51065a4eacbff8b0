# Copyright (c) OpenMMLab. All rights reserved.
"""Pure helpers of DiLo's copy-and-paste background augmentation
(Distilling Localization for Self-Supervised Representation Learning,
AAAI 2021, Sec. 5.2).

Images are ``H x W x 3`` uint8 arrays, masks ``H x W`` arrays with 1 on the
foreground. ``rng`` is a ``np.random.Generator``, a ``RandomState`` or the
``np.random`` module (the default, whose global state mmengine seeds per
data-loader worker).
"""
from typing import Tuple

import cv2
import numpy as np

from .random_draws import randint_inclusive

__all__ = [
    'blend_alpha', 'composite', 'cover_crop', 'gray_background', 'resize_mask'
]


def gray_background(height: int,
                    width: int,
                    level: int,
                    channels: int = 3) -> np.ndarray:
    """A constant gray image (Sec. 5.2, "homogeneous grayscale images with
    a random grayscale level")."""
    if not 0 <= level <= 255:
        raise ValueError(f'A gray level must be in [0, 255], got {level}')
    return np.full((height, width, channels), level, np.uint8)


def cover_crop(bg: np.ndarray,
               height: int,
               width: int,
               rng=np.random) -> Tuple[np.ndarray, Tuple[int, int, int, int]]:
    """Resize ``bg`` to cover ``height x width`` and crop it there at random.

    The background is scaled by ``max(height / h_b, width / w_b)`` (keeping
    its aspect ratio, so it covers the target in both directions; also when
    this upsamples a small background), then a window of exactly
    ``height x width`` is cut at a uniformly random position.

    Args:
        bg (np.ndarray): ``h_b x w_b x C`` background.
        height, width (int): Target size.
        rng: Random source.

    Returns:
        tuple: The ``height x width x C`` crop and the window ``(x1, y1, x2,
        y2)`` in pixels of the resized background.
    """
    h_b, w_b = bg.shape[:2]
    scale = max(height / h_b, width / w_b)
    new_w = max(width, int(np.ceil(w_b * scale - 1e-6)))
    new_h = max(height, int(np.ceil(h_b * scale - 1e-6)))
    if (new_h, new_w) != (h_b, w_b):
        bg = cv2.resize(
            bg, (new_w, new_h),
            interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    x1 = randint_inclusive(rng, 0, new_w - width)
    y1 = randint_inclusive(rng, 0, new_h - height)
    crop = bg[y1:y1 + height, x1:x1 + width]  # height x width (x C)
    return np.ascontiguousarray(crop), (x1, y1, x1 + width, y1 + height)


def resize_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """A binary ``uint8`` mask at ``height x width`` (nearest neighbour)."""
    mask = (np.asarray(mask) > 0).astype(np.uint8)
    if mask.shape[:2] != (height, width):
        mask = cv2.resize(
            mask, (width, height), interpolation=cv2.INTER_NEAREST)
    return mask


def blend_alpha(mask: np.ndarray,
                sigma: float = 0.,
                binarize: bool = True) -> np.ndarray:
    """The foreground opacity of a paste.

    ``mask`` is binarised (``> 0``) unless ``binarize=False``, which keeps a
    continuous opacity in [0, 1] (e.g. a saliency map used as alpha).
    ``sigma <= 0``: that opacity itself (direct copy, "no blend").
    Otherwise the mask blurred with a Gaussian of standard deviation
    ``sigma`` pixels ("Gaussian blending on the object borders", as in
    Cut, Paste and Learn, ICCV 2017): opacity falls from 1 to 0 across the
    border, symmetrically inside and outside it.

    Returns:
        np.ndarray: ``H x W`` float32 opacity in [0, 1].
    """
    if binarize:
        alpha = (np.asarray(mask) > 0).astype(np.float32)  # H x W
    else:
        alpha = np.clip(np.asarray(mask, np.float32), 0., 1.)  # H x W
    if sigma > 0:
        alpha = cv2.GaussianBlur(
            alpha, (0, 0), sigmaX=sigma, borderType=cv2.BORDER_REPLICATE)
    return np.clip(alpha, 0., 1.)


def composite(fg: np.ndarray, bg: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``alpha * fg + (1 - alpha) * bg`` per pixel, rounded to uint8.

    Where ``alpha`` is 1 the result is exactly ``fg``, where 0 exactly
    ``bg``; elsewhere it lies between the two sources' values. A boolean
    ``alpha`` (a binary mask, no blending) selects pixels without
    arithmetic.

    Args:
        fg (np.ndarray): ``H x W x C`` foreground image.
        bg (np.ndarray): ``H x W x C`` background, same shape.
        alpha (np.ndarray): ``H x W`` opacity of the foreground in [0, 1],
            or a boolean mask.

    Returns:
        np.ndarray: ``H x W x C`` uint8 image.
    """
    if fg.shape != bg.shape or fg.shape[:2] != alpha.shape:
        raise ValueError(f'composite needs fg {fg.shape}, bg {bg.shape} and '
                         f'alpha {alpha.shape} of the same size')
    if alpha.dtype == bool:
        return np.where(alpha[..., None], fg, bg).astype(np.uint8)
    a = alpha.astype(np.float32)[..., None]  # H x W x 1
    out = a * fg.astype(np.float32) + (1. - a) * bg.astype(np.float32)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)  # H x W x C
