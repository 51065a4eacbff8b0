# Copyright (c) OpenMMLab. All rights reserved.
"""Crop-parameter sampling of ContrastiveCrop.

Peng et al., "Crafting Better Contrastive Views for Siamese Representation
Learning" (CVPR 2022), Eq. 3-4 and Algorithm 1: the crop size and aspect
ratio follow RandomResizedCrop and the crop position is drawn from
``Beta(alpha, alpha)`` inside a box. Algorithm 1 does not say how a crop
near the image border is kept inside the image; two placements are
offered (:data:`PLACEMENTS`):

* ``'corner_range'`` (default, the authors' public sampler): the range of
  top-left corners that centre the crop on the box's first and last pixel
  is clipped to the image first, and the corner is drawn inside that
  range, so the Beta law acts on positions the crop can take;
* ``'centre_clamp'``: the centre is drawn inside the box and the crop then
  shifted into the image, which piles crops up on the image border (with
  RandomResizedCrop sizes, even for a box away from the borders, about
  half of the crops touch it).

The functions draw from NumPy's global random state in the same order as
:meth:`mmpretrain.datasets.transforms.RandomResizedCrop.rand_crop_params`
(per attempt: area scale, then log aspect ratio), so that with the same seed
the crop sizes are identical to RandomResizedCrop's.
"""
import math
from typing import Optional, Sequence, Tuple

import numpy as np

from mmfgssl.utils.checks import check_choice

__all__ = [
    'PLACEMENTS', 'WHOLE_IMAGE_CROPS', 'sample_crop_size', 'centre_in_box',
    'clamp_crop', 'corner_range', 'sample_corner_in_range', 'is_whole_image',
    'contrastive_crop_params'
]

WHOLE_IMAGE = (0., 0., 1., 1.)

#: How the crop is kept inside the image, see the module docstring.
PLACEMENTS = ('corner_range', 'centre_clamp')

#: How a whole-image box is cropped once boxes are active: with the Beta law
#: like every other box (Alg. 1 and the authors' code), or uniformly as
#: RandomResizedCrop.
WHOLE_IMAGE_CROPS = ('beta', 'uniform')


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


def centre_in_box(box: Sequence[float], height: int, width: int, v: float,
                  u: float) -> Tuple[float, float]:
    """The crop centre that Beta draws place inside a box (Alg. 1, lines
    6-7, ``'centre_clamp'`` placement).

    ``x = W * (x0 + (x1 - x0) * u)`` and ``y = H * (y0 + (y1 - y0) * v)``.

    Args:
        box (Sequence[float]): Normalised ``(x0, y0, x1, y1)`` in [0, 1].
        height (int): Image height.
        width (int): Image width.
        v (float): The row draw, in [0, 1].
        u (float): The column draw, in [0, 1].

    Returns:
        tuple[float, float]: The centre ``(cy, cx)`` in pixels.
    """
    x0, y0, x1, y1 = box
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


def corner_range(low: float, high: float, size: int,
                 extent: int) -> Tuple[int, int]:
    """Range of top-left offsets of a crop along one axis (``'corner_range'``
    placement).

    The offsets that centre a crop of ``size`` pixels on the box's first
    pixel ``floor(extent * low)`` and on its last one ``floor(extent *
    high)``, i.e. ``floor(extent * edge) - floor(size / 2)``, each clipped to
    the offsets that keep the crop in the image, ``[0, extent - size]``.

    Args:
        low (float): The box's normalised start along the axis.
        high (float): The box's normalised end along the axis.
        size (int): Crop size along the axis, ``<= extent``.
        extent (int): Image size along the axis.

    Returns:
        tuple[int, int]: ``(first, last)`` offsets, ``first <= last``.
    """
    last_offset = extent - size
    first = min(max(int(math.floor(extent * low)) - size // 2, 0), last_offset)
    last = min(max(int(math.floor(extent * high)) - size // 2, 0), last_offset)
    return first, last


def sample_corner_in_range(first: int, last: int, fraction: float) -> int:
    """The offset a Beta draw picks in ``[first, last]``:
    ``first + floor((last - first) * fraction)``."""
    return first + int(math.floor((last - first) * fraction))


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
    placement: str = 'corner_range',
    whole_image: str = 'beta',
) -> Tuple[int, int, int, int, Optional[Tuple[float, float]]]:
    """Crop parameters of ContrastiveCrop (Eq. 4, Algorithm 1).

    The size comes from :func:`sample_crop_size`. Then:

    * ``box`` None (boxes not active: the warm-up), or the whole image with
      ``whole_image='uniform'``: the offsets are drawn uniformly, as
      RandomResizedCrop does (``randint`` over rows, then columns), so the
      whole crop equals RandomResizedCrop's for the same random state;
    * otherwise ``u, v ~ Beta(alpha, alpha)`` are drawn (``u`` for the
      columns first) and placed with ``placement``:

      - ``'corner_range'``: offsets ``first + floor((last - first) * v)``
        in the :func:`corner_range` of each axis;
      - ``'centre_clamp'``: the centre of :func:`centre_in_box`,
        shifted into the image by :func:`clamp_crop`;

    * the size fallback is RandomResizedCrop's central crop in all cases.

    Args:
        height (int): Image height.
        width (int): Image width.
        box (Sequence[float], optional): Normalised ``(x0, y0, x1, y1)``.
        alpha (float): The Beta parameter.
        scale (Sequence[float]): Crop area range. Defaults to (0.08, 1).
        ratio (Sequence[float]): Aspect-ratio range. Defaults to (3/4, 4/3).
        max_attempts (int): Size attempts. Defaults to 10.
        placement (str): One of :data:`PLACEMENTS`. Defaults to
            ``'corner_range'``.
        whole_image (str): One of :data:`WHOLE_IMAGE_CROPS`, how a
            whole-image box is cropped. Defaults to ``'beta'``.

    Returns:
        tuple: ``(offset_h, offset_w, target_h, target_w, draws)``, where
        ``draws`` is the Beta pair ``(v, u)`` (rows, columns) that placed the
        crop, or None when no Beta draw was made.
    """
    check_choice('placement', placement, PLACEMENTS)
    check_choice('whole_image', whole_image, WHOLE_IMAGE_CROPS)
    target_h, target_w, sampled = sample_crop_size(height, width, scale, ratio,
                                                   max_attempts)
    if not sampled:
        return ((height - target_h) // 2, (width - target_w) // 2, target_h,
                target_w, None)
    if box is None or (whole_image == 'uniform' and is_whole_image(box)):
        offset_h = np.random.randint(0, height - target_h + 1)
        offset_w = np.random.randint(0, width - target_w + 1)
        return offset_h, offset_w, target_h, target_w, None
    x0, y0, x1, y1 = box
    u = np.random.beta(alpha, alpha)
    v = np.random.beta(alpha, alpha)
    if placement == 'centre_clamp':
        centre = centre_in_box(box, height, width, v, u)
        offset_h, offset_w = clamp_crop(*centre, target_h, target_w, height,
                                        width)
    else:
        offset_h = sample_corner_in_range(
            *corner_range(y0, y1, target_h, height), v)
        offset_w = sample_corner_in_range(
            *corner_range(x0, x1, target_w, width), u)
    return offset_h, offset_w, target_h, target_w, (v, u)
