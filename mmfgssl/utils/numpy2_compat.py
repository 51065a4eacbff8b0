# Copyright (c) OpenMMLab. All rights reserved.
"""mmcv 2.1's ``adjust_hue`` under numpy >= 2.

``mmcv.adjust_hue`` shifts the uint8 hue channel by
``np.uint8(hue_factor * 255)``, relying on numpy 1 wrapping a negative value
around 256. numpy 2 raises ``OverflowError: Python integer -14 out of bounds
for uint8`` instead, so mmpretrain's ``ColorJitter`` (MoCo v2 / BYOL
augmentations, hue 0.1) crashes a training run on about every other batch.
:func:`adjust_hue` does the same shift with the wrap-around written out, and
:func:`patch_mmcv_adjust_hue` installs it as ``mmcv.adjust_hue`` at import of
``mmfgssl`` (site-packages stay untouched). Non-negative factors still go to
mmcv's own function.
"""
from typing import Optional

import cv2
import mmcv
import numpy as np
from PIL import Image

__all__ = ['adjust_hue', 'patch_mmcv_adjust_hue']

_MMCV_ADJUST_HUE = mmcv.adjust_hue


def adjust_hue(img: np.ndarray,
               hue_factor: float,
               backend: Optional[str] = None) -> np.ndarray:
    """Rotate the hue of a BGR image, as ``mmcv.adjust_hue``.

    Args:
        img (np.ndarray): ``H x W x 3`` BGR image.
        hue_factor (float): Shift in [-0.5, 0.5] of a full hue turn.
        backend (str, optional): ``'cv2'`` or ``'pillow'``; None takes
            mmcv's image backend.

    Returns:
        np.ndarray: The image with its hue rotated.
    """
    if hue_factor >= 0 or not -0.5 <= hue_factor <= 0.5:
        return _MMCV_ADJUST_HUE(img, hue_factor, backend=backend)
    backend = backend or mmcv.image.io.imread_backend
    shift = int(hue_factor * 255) % 256  # numpy 1's uint8 wrap-around
    if backend == 'pillow':
        if img.dtype != np.uint8:
            raise TypeError('the pillow backend needs a uint8 image')
        hsv = np.array(Image.fromarray(img[..., ::-1], 'RGB').convert('HSV'))
        hsv[..., 0] = (hsv[..., 0].astype(np.int32) + shift) % 256
        rgb = Image.fromarray(hsv, 'HSV').convert('RGB')
        return np.array(rgb, dtype=img.dtype)[..., ::-1]
    if backend != 'cv2':
        raise ValueError(f'backend: {backend} is not supported')
    hsv = cv2.cvtColor(img.astype(np.uint8), cv2.COLOR_BGR2HSV_FULL)
    hsv[..., 0] = (hsv[..., 0].astype(np.int32) + shift) % 256
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR_FULL).astype(img.dtype)


def patch_mmcv_adjust_hue() -> bool:
    """Install :func:`adjust_hue` as ``mmcv.adjust_hue`` when numpy refuses
    negative uint8 conversions. Returns whether it was installed."""
    try:
        np.uint8(-1)
        return False  # numpy 1: mmcv's function works
    except OverflowError:
        pass
    mmcv.adjust_hue = adjust_hue
    mmcv.image.adjust_hue = adjust_hue
    mmcv.image.photometric.adjust_hue = adjust_hue
    return True
