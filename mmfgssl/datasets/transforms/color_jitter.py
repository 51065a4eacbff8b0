# Copyright (c) OpenMMLab. All rights reserved.
"""mmpretrain's ``ColorJitter`` with a hue shift that works under NumPy 2.

mmcv 2.1.0's ``adjust_hue`` adds ``np.uint8(hue_factor * 255)`` to the hue
channel. NumPy >= 2 refuses to make a ``uint8`` of a negative number
("OverflowError: Python integer -19 out of bounds for uint8"), so every
MoCo v2 / BYOL pipeline with ``hue=0.1`` fails on about half of its images.
The hue rotation is redone here modulo 256 in a wide integer type, and
``ColorJitter`` is re-registered under its own name in mmpretrain's
``TRANSFORMS`` when :mod:`mmfgssl` is imported, so mmpretrain's configs and
ours run unchanged. For ``hue_factor >= 0`` the result is bit-identical to
mmcv's (tested); for negative factors it is the rotation mmcv meant.
"""
from typing import Dict

import cv2
import mmcv
import numpy as np
from mmpretrain.datasets.transforms import ColorJitter as _ColorJitter
from mmpretrain.registry import TRANSFORMS
from PIL import Image

__all__ = ['adjust_hue', 'ColorJitter']


def adjust_hue(img: np.ndarray,
               hue_factor: float,
               backend: str = 'cv2') -> np.ndarray:
    """Rotate the hue of a BGR image, as :func:`mmcv.adjust_hue`.

    The hue channel (0-255 for a full turn, OpenCV's ``HSV_FULL`` or PIL's
    ``HSV``) is shifted by ``int(hue_factor * 255)`` modulo 256.

    Args:
        img (np.ndarray): An ``H x W x 3`` BGR image.
        hue_factor (float): The shift, a fraction of a full turn in
            ``[-0.5, 0.5]``.
        backend (str): ``'cv2'`` or ``'pillow'``. Defaults to ``'cv2'``.

    Returns:
        np.ndarray: The image with rotated hue, of the input's dtype.
    """
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f'hue_factor {hue_factor} is not in [-0.5, 0.5]')
    if backend not in ('cv2', 'pillow'):
        raise ValueError(f"backend must be 'cv2' or 'pillow', got {backend}")
    shift = int(hue_factor * 255) % 256
    if backend == 'pillow':
        if img.dtype != np.uint8:
            raise TypeError('the pillow backend needs a uint8 image')
        rgb = Image.fromarray(np.ascontiguousarray(img[..., ::-1]), 'RGB')
        h, s, v = rgb.convert('HSV').split()
        hue = ((np.asarray(h, dtype=np.int16) + shift) % 256).astype(np.uint8)
        hsv = Image.merge('HSV', (Image.fromarray(hue, 'L'), s, v))
        return np.asarray(hsv.convert('RGB'), dtype=img.dtype)[..., ::-1]
    hsv = cv2.cvtColor(img.astype(np.uint8), cv2.COLOR_BGR2HSV_FULL)
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + shift) % 256
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR_FULL).astype(img.dtype)


@TRANSFORMS.register_module(name='ColorJitter', force=True)
class ColorJitter(_ColorJitter):
    """Randomly change brightness, contrast, saturation and hue.

    The arguments, random draws and order of operations of
    :class:`mmpretrain.datasets.transforms.ColorJitter`; only the hue
    rotation is :func:`adjust_hue` (see the module docstring).

    **Required Keys:**

    - img

    **Modified Keys:**

    - img

    **Added Keys:**

    - none
    """

    def transform(self, results: Dict) -> Dict:
        """Jitter ``results['img']`` in a random order of the four ops."""
        order, brightness, contrast, saturation, hue = self._rand_params()
        ops = (
            (brightness,
             lambda im, f: mmcv.adjust_brightness(im, f, backend=self.backend)
             ),
            (contrast,
             lambda im, f: mmcv.adjust_contrast(im, f, backend=self.backend)),
            (saturation, lambda im, f: mmcv.adjust_color(
                im, alpha=f, backend=self.backend)),
            (hue, lambda im, f: adjust_hue(im, f, backend=self.backend)),
        )
        img = results['img']
        for index in order:
            factor, op = ops[index]
            if factor is not None:
                img = op(img, factor)
        results['img'] = img
        return results
