# Copyright (c) OpenMMLab. All rights reserved.
"""Crop-parameter sampling of ContrastiveCrop.

Peng et al., "Crafting Better Contrastive Views for Siamese Representation
Learning" (CVPR 2022), Eq. 3-4 and Algorithm 1: the crop size and aspect
ratio follow RandomResizedCrop, the crop centre is drawn from
``Beta(alpha, alpha)`` inside a box, and the crop is then shifted to lie
inside the image.

The functions draw from NumPy's global random state in the same order as
:meth:`mmpretrain.datasets.transforms.RandomResizedCrop.rand_crop_params`
(per attempt: area scale, then log aspect ratio), so that with the same seed
the crop sizes are identical to RandomResizedCrop's.
"""
import math
from typing import Optional, Sequence, Tuple

import numpy as np

__all__ = [
    'sample_crop_size', 'sample_centre_in_box', 'clamp_crop', 'is_whole_image',
    'contrastive_crop_params'
]

WHOLE_IMAGE = (0., 0., 1., 1.)


def sample_crop_size(height: int,
                     width: int,
                     scale: Sequence[float] = (0.08, 1.),
                     ratio: Sequence[float] = (3. / 4., 4. / 3.),
                     max_attempts: int = 10) -> Tuple[int, int, bool]:
    """Draw a crop size with RandomResizedCrop's law (Alg. 1, lines 1-2).

    Per attempt, the area is ``U(scale) * H * W`` and the aspect ratio
    ``w / h`` is ``exp(U(log ratio))``; the first size that fits the image
    is returned. When none of ``max_attempts`` fits, the central-crop
    fallback of RandomResizedCrop is used (no further random draws).

    Args:
        height (int): Image height.
        width (int): Image width.
        scale (Sequence[float]): Range of the crop area over the image area.
        ratio (Sequence[float]): Range of the crop aspect ratio (w / h).
        max_attempts (int): Attempts before the fallback. Defaults to 10.

    Returns:
        tuple[int, int, bool]: ``(target_h, target_w, sampled)``; ``sampled``
        is False for the central-crop fallback.
    """
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(max_attempts):
        target_area = np.random.uniform(*scale) * area
        aspect_ratio = math.exp(np.random.uniform(*log_ratio))
        target_w = int(round(math.sqrt(target_area * aspect_ratio)))
        target_h = int(round(math.sqrt(target_area / aspect_ratio)))
        if 0 < target_w <= width and 0 < target_h <= height:
            return target_h, target_w, True

    in_ratio = float(width) / float(height)
    if in_ratio < min(ratio):
        target_w = width
        target_h = int(round(target_w / min(ratio)))
    elif in_ratio > max(ratio):
        target_h = height
        target_w = int(round(target_h * max(ratio)))
    else:
        target_w, target_h = width, height
    return target_h, target_w, False


def sample_centre_in_box(box: Sequence[float], height: int, width: int,
                         alpha: float) -> Tuple[float, float]:
    """Draw a crop centre inside a box (Alg. 1, lines 6-7).

    ``x = W * (x0 + (x1 - x0) * u)`` and ``y = H * (y0 + (y1 - y0) * v)``
    with ``u, v ~ Beta(alpha, alpha)`` independent (``u`` drawn first).

    Args:
        box (Sequence[float]): Normalised ``(x0, y0, x1, y1)`` in [0, 1].
        height (int): Image height.
        width (int): Image width.
        alpha (float): The Beta parameter; < 1 pushes centres to the box
            borders, 1 is uniform.

    Returns:
        tuple[float, float]: The centre ``(cy, cx)`` in pixels.
    """
    x0, y0, x1, y1 = box
    u = np.random.beta(alpha, alpha)
    v = np.random.beta(alpha, alpha)
    return height * (y0 + (y1 - y0) * v), width * (x0 + (x1 - x0) * u)


def clamp_crop(centre_y: float, centre_x: float, target_h: int, target_w: int,
               height: int, width: int) -> Tuple[int, int]:
    """Top-left corner of a crop centred at a point, shifted into the image.

    The crop covers pixels ``[offset, offset + size)``; its offset is
    ``round(centre - size / 2)`` clipped to ``[0, image size - size]``.

    Returns:
        tuple[int, int]: ``(offset_h, offset_w)``.
    """
    offset_h = int(round(centre_y - target_h / 2))
    offset_w = int(round(centre_x - target_w / 2))
    offset_h = min(max(offset_h, 0), height - target_h)
    offset_w = min(max(offset_w, 0), width - target_w)
    return offset_h, offset_w


def is_whole_image(box: Sequence[float]) -> bool:
    """Whether a normalised box covers the whole image."""
    x0, y0, x1, y1 = box
    return x0 <= 0 and y0 <= 0 and x1 >= 1 and y1 >= 1


def contrastive_crop_params(
    height: int,
    width: int,
    box: Optional[Sequence[float]],
    alpha: float,
    scale: Sequence[float] = (0.08, 1.),
    ratio: Sequence[float] = (3. / 4., 4. / 3.),
    max_attempts: int = 10,
) -> Tuple[int, int, int, int, Optional[Tuple[float, float]]]:
    """Crop parameters of ContrastiveCrop (Eq. 4, Algorithm 1).

    The size comes from :func:`sample_crop_size`. Then:

    * ``box`` None or the whole image: the offsets are drawn uniformly, as
      RandomResizedCrop does (``randint`` over rows, then columns), so the
      whole crop equals RandomResizedCrop's for the same random state;
    * otherwise the centre is drawn by :func:`sample_centre_in_box` and the
      crop shifted into the image by :func:`clamp_crop`;
    * the size fallback is RandomResizedCrop's central crop in both cases.

    Args:
        height (int): Image height.
        width (int): Image width.
        box (Sequence[float], optional): Normalised ``(x0, y0, x1, y1)``.
        alpha (float): The Beta parameter.
        scale (Sequence[float]): Crop area range. Defaults to (0.08, 1).
        ratio (Sequence[float]): Aspect-ratio range. Defaults to (3/4, 4/3).
        max_attempts (int): Size attempts. Defaults to 10.

    Returns:
        tuple: ``(offset_h, offset_w, target_h, target_w, centre)``, where
        ``centre`` is the sampled ``(cy, cx)`` before clamping, or None when
        no centre was drawn from the box.
    """
    target_h, target_w, sampled = sample_crop_size(height, width, scale, ratio,
                                                   max_attempts)
    if not sampled:
        return ((height - target_h) // 2, (width - target_w) // 2, target_h,
                target_w, None)
    if box is None or is_whole_image(box):
        offset_h = np.random.randint(0, height - target_h + 1)
        offset_w = np.random.randint(0, width - target_w + 1)
        return offset_h, offset_w, target_h, target_w, None
    centre = sample_centre_in_box(box, height, width, alpha)
    offset_h, offset_w = clamp_crop(*centre, target_h, target_w, height, width)
    return offset_h, offset_w, target_h, target_w, centre
