# Copyright (c) OpenMMLab. All rights reserved.
"""Feature heatmaps and the boxes around their activated positions.

The semantic-aware localisation of ContrastiveCrop (Peng et al., "Crafting
Better Contrastive Views for Siamese Representation Learning", CVPR 2022,
section 3.2, Eq. 2 and Algorithm 1, lines 3-5), per-image thresholds
beside the paper's fixed one, and the IoU of boxes paired row by row.
"""
from typing import Sequence, Tuple, Union

import torch
import torch.nn.functional as F

from mmfgssl.utils.checks import check_choice

__all__ = [
    'BOX_EDGES', 'THRESHOLD_MODES', 'check_heatmap_threshold',
    'feature_heatmaps', 'heatmap_thresholds', 'heatmaps_to_boxes',
    'paired_box_iou'
]

#: The box-end conventions of :func:`heatmaps_to_boxes`.
BOX_EDGES = ('pixel', 'index')

#: The threshold modes of :func:`heatmap_thresholds`.
THRESHOLD_MODES = ('fixed', 'mean', 'quantile')


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


def check_heatmap_threshold(mode: str, k: float) -> None:
    """Raise a ValueError unless ``k`` fits the threshold ``mode``.

    * ``'fixed'``: the threshold itself, ``0 <= k < 1`` (the heatmaps are
      in ``[0, 1]``, so ``k >= 1`` would leave nothing above it).
    * ``'mean'``: a multiple of the per-image mean, ``k > 0``.
    * ``'quantile'``: a quantile level, ``0 < k < 1``.

    Args:
        mode (str): One of :data:`THRESHOLD_MODES`.
        k (float): The threshold parameter.
    """
    check_choice('threshold_mode', mode, THRESHOLD_MODES)
    if isinstance(k, bool) or not isinstance(k, (int, float)):
        raise ValueError(f'k must be a number, got {type(k).__name__}')
    if mode == 'fixed' and not 0 <= k < 1:
        raise ValueError(f"k must be in [0, 1) for threshold_mode='fixed', "
                         f'got {k}')
    if mode == 'mean' and not k > 0:
        raise ValueError(f"k must be > 0 for threshold_mode='mean', got {k}")
    if mode == 'quantile' and not 0 < k < 1:
        raise ValueError(f"k must be in (0, 1) for threshold_mode='quantile', "
                         f'got {k}')


def heatmap_thresholds(heatmaps: torch.Tensor,
                       mode: str = 'fixed',
                       k: float = 0.1) -> torch.Tensor:
    """Per-image thresholds for :func:`heatmaps_to_boxes`.

    * ``'fixed'``: ``k`` for every image (the paper's Eq. 2, ``k = 0.1``).
    * ``'mean'``: ``k`` times the image's mean heatmap value, so ``k = 1``
      keeps the positions above the mean.
    * ``'quantile'``: the ``k``-quantile of the image's ``H * W`` heatmap
      values, with linear interpolation between order statistics (as
      ``torch.quantile`` and ``numpy.quantile`` by default), so about a
      fraction ``1 - k`` of the positions lies above it. It is computed by
      a sort, as ``torch.quantile`` refuses inputs of more than 2 ** 24
      elements (a batch of 512 heatmaps of 224 x 224).

    Args:
        heatmaps (torch.Tensor): Heatmaps of shape (B, H, W).
        mode (str): One of :data:`THRESHOLD_MODES`. Defaults to 'fixed'.
        k (float): The threshold, the multiple of the mean or the quantile
            level; see :func:`check_heatmap_threshold`. Defaults to 0.1.

    Returns:
        torch.Tensor: The thresholds, of shape (B, ), in the dtype and on
        the device of ``heatmaps`` (float32 for integer heatmaps).
    """
    check_heatmap_threshold(mode, k)
    if heatmaps.dim() != 3:
        raise ValueError('heatmap_thresholds expects B x H x W heatmaps, '
                         f'got shape {tuple(heatmaps.shape)}')
    if not heatmaps.is_floating_point():
        heatmaps = heatmaps.float()
    flat = heatmaps.flatten(1)  # flat: B x HW
    if mode == 'fixed':
        return flat.new_full((flat.shape[0], ), float(k))  # B
    if mode == 'mean':
        return flat.mean(1) * k  # B
    num = flat.shape[1]
    if num == 0:
        raise ValueError('heatmap_thresholds: the heatmaps are empty, got '
                         f'shape {tuple(heatmaps.shape)}')
    values = flat.sort(1).values  # values: B x HW
    pos = k * (num - 1)
    low = int(pos)
    high = min(low + 1, num - 1)
    frac = pos - low
    return values[:, low] + frac * (values[:, high] - values[:, low])  # B


def heatmaps_to_boxes(
        heatmaps: torch.Tensor,
        k: Union[float, torch.Tensor] = 0.1,
        box_edge: str = 'pixel') -> Tuple[torch.Tensor, torch.Tensor]:
    """Rectangular closure of the positions above ``k`` (Eq. 2).

    ``B = L(1[M > k])``: the smallest axis-aligned box that holds every
    pixel whose heatmap value is strictly greater than ``k``, a number for
    all images or one threshold per image (e.g. from
    :func:`heatmap_thresholds`).

    Boxes are normalised ``(x0, y0, x1, y1)``. With ``box_edge='pixel'``
    (default) a box covering columns ``c0..c1`` and rows ``r0..r1``
    (inclusive) is ``(c0 / W, r0 / H, (c1 + 1) / W, (r1 + 1) / H)``, so a
    mask that covers the image gives exactly ``(0, 0, 1, 1)``; with
    ``'index'`` (the authors' code) it ends at the last index,
    ``(c0 / W, r0 / H, c1 / W, r1 / H)``, which is never the whole image.
    ContrastiveCrop samples both the same way once boxes are active (its
    ``whole_image='beta'``), so the convention only moves the box end by
    one pixel. A heatmap with no value above
    ``k`` (e.g. a constant feature map) gives the whole image and is flagged
    in the returned ``empty`` mask, for the caller to count.

    Args:
        heatmaps (torch.Tensor): Heatmaps of shape (B, H, W).
        k (float | torch.Tensor): The activation threshold, a number or a
            tensor of shape (B, ), one per image. Defaults to 0.1.
        box_edge (str): ``'pixel'`` or ``'index'``, see above. Defaults to
            ``'pixel'``.

    Returns:
        tuple[torch.Tensor, torch.Tensor]: The boxes, float32 of shape
        (B, 4), and ``empty``, bool of shape (B, ).
    """
    if heatmaps.dim() != 3:
        raise ValueError('heatmaps_to_boxes expects B x H x W heatmaps, '
                         f'got shape {tuple(heatmaps.shape)}')
    check_choice('heatmaps_to_boxes: box_edge', box_edge, BOX_EDGES)
    num, height, width = heatmaps.shape
    if isinstance(k, torch.Tensor):
        if k.shape != (num, ):
            raise ValueError('heatmaps_to_boxes: a tensor k must hold one '
                             f'threshold per heatmap, shape ({num}, ), got '
                             f'{tuple(k.shape)}')
        k = k.to(heatmaps.device)[:, None, None]  # k: B x 1 x 1
    mask = heatmaps > k  # mask: B x H x W
    rows = mask.any(2)  # rows: B x H
    cols = mask.any(1)  # cols: B x W
    empty = ~rows.any(1)  # empty: B
    # first and last True along each axis (argmax returns the first maximum)
    r0 = rows.int().argmax(1)  # r0: B
    r1 = height - 1 - rows.flip(1).int().argmax(1)  # r1: B
    c0 = cols.int().argmax(1)  # c0: B
    c1 = width - 1 - cols.flip(1).int().argmax(1)  # c1: B
    end = 1 if box_edge == 'pixel' else 0
    boxes = torch.stack([
        c0.float() / width,
        r0.float() / height, (c1 + end).float() / width,
        (r1 + end).float() / height
    ], 1)  # boxes: B x 4
    boxes[empty] = boxes.new_tensor([0., 0., 1., 1.])
    return boxes, empty


def paired_box_iou(boxes_a: torch.Tensor,
                   boxes_b: torch.Tensor) -> torch.Tensor:
    """IoU of each box of ``boxes_a`` with the box of ``boxes_b`` in the
    same row (not all pairs).

    Both are ``(x0, y0, x1, y1)`` in the same coordinates, e.g. normalised
    to the image; a pair whose union is empty has IoU 0.

    Args:
        boxes_a (torch.Tensor): Boxes of shape (N, 4).
        boxes_b (torch.Tensor): Boxes of shape (N, 4).

    Returns:
        torch.Tensor: The IoUs, float64 of shape (N, ), in ``[0, 1]``.
    """
    if (boxes_a.dim() != 2 or boxes_a.shape[1] != 4
            or boxes_b.shape != boxes_a.shape):
        raise ValueError('paired_box_iou expects boxes_a and boxes_b of the '
                         f'same shape N x 4, got {tuple(boxes_a.shape)} and '
                         f'{tuple(boxes_b.shape)}')
    boxes_a = boxes_a.double()  # boxes_a: N x 4
    boxes_b = boxes_b.to(boxes_a.device).double()  # boxes_b: N x 4
    low = torch.maximum(boxes_a[:, :2], boxes_b[:, :2])  # low: N x 2
    high = torch.minimum(boxes_a[:, 2:], boxes_b[:, 2:])  # high: N x 2
    inter = (high - low).clamp(min=0).prod(1)  # inter: N
    area_a = (boxes_a[:, 2:] - boxes_a[:, :2]).clamp(min=0).prod(1)  # N
    area_b = (boxes_b[:, 2:] - boxes_b[:, :2]).clamp(min=0).prod(1)  # N
    union = area_a + area_b - inter  # union: N
    return torch.where(union > 0, inter / union.clamp(min=1e-12),
                       torch.zeros_like(union))  # N
