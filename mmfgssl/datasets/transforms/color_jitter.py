# Copyright (c) OpenMMLab. All rights reserved.
"""mmpretrain's ColorJitter, made to work with numpy >= 2.

``mmcv.adjust_hue`` (mmcv 2.1.0) rotates the hue channel with
``h += np.uint8(hue_factor * 255)``; numpy 2 raises ``OverflowError`` for a
negative ``hue_factor`` instead of wrapping it, so mmpretrain's
``ColorJitter(hue=0.1)`` (the MoCo v2 / BYOL augmentation) fails about half
of the time. This subclass is registered under the same name (replacing
mmpretrain's entry) and rotates the hue by ``int(hue_factor * 255) mod 256``,
what numpy 1 computed; everything else is mmpretrain's code path.
"""
from typing import Dict

import cv2
import mmcv
import numpy as np
from mmpretrain.datasets.transforms import ColorJitter as _ColorJitter
from mmpretrain.registry import TRANSFORMS
from PIL import Image


def adjust_hue(img: np.ndarray,
               hue_factor: float,
               backend: str = 'pillow') -> np.ndarray:
    """``mmcv.adjust_hue`` with the hue shift wrapped modulo 256.

    Args:
        img (np.ndarray): ``H x W x 3`` BGR image.
        hue_factor (float): In [-0.5, 0.5].
        backend (str): 'pillow' or 'cv2', as mmcv.

    Returns:
        np.ndarray: The hue-rotated image.
    """
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f'hue_factor:{hue_factor} is not in [-0.5, 0.5].')
    shift = int(hue_factor * 255) % 256  # numpy 1's np.uint8(negative)
    if backend == 'pillow':
        pil = Image.fromarray(img[..., ::-1], mode='RGB')
        h, s, v = pil.convert('HSV').split()
        h = np.array(h, dtype=np.uint8) + np.uint8(shift)  # wraps
        out = Image.merge('HSV', (Image.fromarray(h, 'L'), s, v))
        return np.array(out.convert('RGB'), dtype=img.dtype)[..., ::-1]
    if backend != 'cv2':
        raise ValueError(f'backend: {backend} is not supported.')
    hsv = cv2.cvtColor(img.astype(np.uint8), cv2.COLOR_BGR2HSV_FULL)
    hsv[..., 0] += np.uint8(shift)  # wraps
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR_FULL).astype(img.dtype)


@TRANSFORMS.register_module(force=True)
class ColorJitter(_ColorJitter):
    """mmpretrain's :class:`~mmpretrain.datasets.transforms.ColorJitter`
    with a numpy-2-safe hue rotation (see the module docstring); same
    arguments, same random draws, same results as under numpy 1.

    **Required Keys:**

    - img

    **Modified Keys:**

    - img
    """

    def transform(self, results: Dict) -> Dict:
        """Jitter brightness, contrast, saturation and hue in random
        order."""
        img = results['img']
        trans_inds, brightness, contrast, saturation, hue = \
            self._rand_params()
        for index in trans_inds:
            if index == 0 and brightness is not None:
                img = mmcv.adjust_brightness(
                    img, brightness, backend=self.backend)
            elif index == 1 and contrast is not None:
                img = mmcv.adjust_contrast(img, contrast, backend=self.backend)
            elif index == 2 and saturation is not None:
                img = mmcv.adjust_color(
                    img, alpha=saturation, backend=self.backend)
            elif index == 3 and hue is not None:
                img = adjust_hue(img, hue, backend=self.backend)
        results['img'] = img
        return results
