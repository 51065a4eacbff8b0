# Copyright (c) OpenMMLab. All rights reserved.
"""Feature heatmaps and the boxes around their activated positions.

The semantic-aware localisation of ContrastiveCrop (Peng et al., "Crafting
Better Contrastive Views for Siamese Representation Learning", CVPR 2022,
section 3.2, Eq. 2 and Algorithm 1, lines 3-5).
"""
from typing import Sequence, Tuple

import torch
import torch.nn.functional as F

__all__ = ['feature_heatmaps', 'heatmaps_to_boxes']


def feature_heatmaps(feats: torch.Tensor,
                     size: Sequence[int],
                     eps: float = 1e-6) -> torch.Tensor:
    """Heatmaps of last-stage feature maps (ContrastiveCrop Alg. 1, line 4).

    The features are summed over channels, min-max normalised per image to
    ``[0, 1)`` (``(m - min) / (max - min + eps)``, so a constant map becomes
    all zeros instead of NaN) and bilinearly upsampled to ``size``
    (``align_corners=False``).

    Args:
        feats (torch.Tensor): Feature maps of shape (B, C, h, w).
        size (Sequence[int]): Output ``(H, W)``, the image size.
        eps (float): Added to the per-image range. Defaults to 1e-6.

    Returns:
        torch.Tensor: Heatmaps of shape (B, H, W), values in ``[0, 1]``.
    """
    if feats.dim() != 4:
        raise ValueError('feature_heatmaps expects B x C x h x w features, '
                         f'got shape {tuple(feats.shape)}')
    maps = feats.float().sum(1)  # maps: B x h x w
    flat = maps.flatten(1)  # flat: B x hw
    low = flat.min(1).values[:, None, None]  # low: B x 1 x 1
    high = flat.max(1).values[:, None, None]  # high: B x 1 x 1
    maps = (maps - low) / (high - low + eps)  # maps: B x h x w
    maps = F.interpolate(
        maps[:, None], size=tuple(size), mode='bilinear',
        align_corners=False)  # maps: B x 1 x H x W
    return maps[:, 0]  # B x H x W


def heatmaps_to_boxes(heatmaps: torch.Tensor,
                      k: float = 0.1) -> Tuple[torch.Tensor, torch.Tensor]:
    """Rectangular closure of the positions above ``k`` (Eq. 2).

    ``B = L(1[M > k])``: the smallest axis-aligned box that holds every
    pixel whose heatmap value is strictly greater than ``k``.

    Boxes are normalised ``(x0, y0, x1, y1)`` with pixel-edge coordinates:
    a box covering columns ``c0..c1`` and rows ``r0..r1`` (inclusive) is
    ``(c0 / W, r0 / H, (c1 + 1) / W, (r1 + 1) / H)``, so a mask that covers
    the image gives exactly ``(0, 0, 1, 1)``. A heatmap with no value above
    ``k`` (e.g. a constant feature map) gives the whole image and is flagged
    in the returned ``empty`` mask, for the caller to count.

    Args:
        heatmaps (torch.Tensor): Heatmaps of shape (B, H, W).
        k (float): The activation threshold. Defaults to 0.1.

    Returns:
        tuple[torch.Tensor, torch.Tensor]: The boxes, float32 of shape
        (B, 4), and ``empty``, bool of shape (B, ).
    """
    if heatmaps.dim() != 3:
        raise ValueError('heatmaps_to_boxes expects B x H x W heatmaps, '
                         f'got shape {tuple(heatmaps.shape)}')
    num, height, width = heatmaps.shape
    mask = heatmaps > k  # mask: B x H x W
    rows = mask.any(2)  # rows: B x H
    cols = mask.any(1)  # cols: B x W
    empty = ~rows.any(1)  # empty: B
    # first and last True along each axis (argmax returns the first maximum)
    r0 = rows.int().argmax(1)  # r0: B
    r1 = height - 1 - rows.flip(1).int().argmax(1)  # r1: B
    c0 = cols.int().argmax(1)  # c0: B
    c1 = width - 1 - cols.flip(1).int().argmax(1)  # c1: B
    boxes = torch.stack([
        c0.float() / width,
        r0.float() / height, (c1 + 1).float() / width,
        (r1 + 1).float() / height
    ], 1)  # boxes: B x 4
    boxes[empty] = boxes.new_tensor([0., 0., 1., 1.])
    return boxes, empty
