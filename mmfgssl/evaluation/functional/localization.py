"""Localisation metrics of the maps of pre-trained backbones, as pure
functions.

- :func:`activation_maps`: the label-free activation map of a last-stage
  feature map (channel mean).
- :func:`box_energy_share` / :func:`mask_energy_share`: the share of a
  non-negative map's energy inside the ground-truth box / a mask (the
  "energy-based pointing game" of Score-CAM, Wang et al., CVPRW 2020).
- :func:`correspondence_mask_agreement`: mean absolute error and Pearson
  correlation between a [0, 1] map (e.g. the CVSA correspondence ``C_qk``,
  Align Yourself, AAAI 2022, Eq. 4) and a downsampled mask.
- :func:`cam_max_box_acc`: MaxBoxAcc (Choe et al., CVPR 2020) of feature-grid
  maps, through :mod:`.max_box_acc`.
- :func:`rescale_boxes`: boxes from the original image to the network
  input of a resize-only pipeline.

Geometry: a ``h x w`` map lies on a feature grid that covers the whole
``H x W`` image uniformly, cell ``(i, j)`` being the rectangle
``[j W / w, (j + 1) W / w) x [i H / h, (i + 1) H / h)`` (the receptive-field
centres of a stride-``H / h`` network). Boxes are ``(x1, y1, x2, y2)`` in
pixel-edge coordinates (see :mod:`mmfgssl.datasets.box_utils`).
"""
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F

from .max_box_acc import max_box_acc

__all__ = [
    'activation_maps', 'box_energy_share', 'mask_energy_share',
    'correspondence_mask_agreement', 'cam_max_box_acc', 'rescale_boxes',
    'cell_overlap'
]

SizeLike = Union[Sequence[int], torch.Tensor, np.ndarray]


def activation_maps(feats: torch.Tensor) -> torch.Tensor:
    """The label-free activation map: the channel mean of the features.

    The last stage of a ResNet ends in a ReLU, so its features and this
    map are >= 0. It is :func:`mmfgssl.models.utils.activation_cam` (the
    channel sum of ContrastiveCrop, CVPR 2022, Alg. 1) divided by ``C``,
    which no metric of this module depends on (all are scale invariant).

    Args:
        feats (torch.Tensor): ``B x C x h x w`` last-stage features.

    Returns:
        torch.Tensor: ``B x h x w`` maps.
    """
    if feats.dim() != 4:
        raise ValueError(f'Expected B x C x h x w features, got '
                         f'{tuple(feats.shape)}')
    return feats.mean(dim=1)  # maps: B x h x w


def _as_f64(x) -> torch.Tensor:
    """A tensor, array or nested sequence as a float64 tensor (a tensor
    stays on its device)."""
    if torch.is_tensor(x):
        return x.detach().to(torch.float64)
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


def _per_image_sizes(size: SizeLike, batch: int) -> torch.Tensor:
    """``(H, W)`` shared or ``B x 2`` per image -> ``B x 2`` float64."""
    size = _as_f64(size).cpu()
    if size.shape == (2, ):
        size = size.expand(batch, 2)  # size: B x 2
    if size.shape != (batch, 2):
        raise ValueError(f'img_size must be (H, W) or B x 2 with B = '
                         f'{batch}, got shape {tuple(size.shape)}')
    if (size <= 0).any():
        raise ValueError(f'img_size must be positive, got {size.tolist()}')
    return size


def cell_overlap(low: torch.Tensor, high: torch.Tensor, num_cells: int,
                 extent: torch.Tensor) -> torch.Tensor:
    """Fraction of each of ``num_cells`` equal cells of ``[0, extent)``
    covered by the interval ``[low, high)``, per image.

    Args:
        low (torch.Tensor): ``B`` interval starts.
        high (torch.Tensor): ``B`` interval ends.
        num_cells (int): Cells along the axis.
        extent (torch.Tensor): ``B`` lengths of the axis (image pixels).

    Returns:
        torch.Tensor: ``B x num_cells`` fractions in [0, 1] (float64).
    """
    low, high, extent = (_as_f64(t) for t in (low, high, extent))
    step = extent / num_cells  # step: B
    edges = torch.arange(
        num_cells + 1, dtype=torch.float64,
        device=step.device)[None] * step[:, None]  # edges: B x (n + 1)
    inter = torch.minimum(high[:, None], edges[:, 1:]) - torch.maximum(
        low[:, None], edges[:, :-1])  # inter: B x n
    return inter.clamp_min(0) / step[:, None]  # frac: B x n


def _energy_share(maps: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """``sum(maps * weights) / sum(maps)`` per image, 0 for a zero map."""
    maps = maps.to(torch.float64).clamp_min(0)  # maps: B x h x w
    total = maps.flatten(1).sum(1)  # total: B
    inside = (maps * weights).flatten(1).sum(1)  # inside: B
    share = inside / torch.where(total > 0, total, torch.ones_like(total))
    return torch.where(total > 0, share, torch.zeros_like(share))  # B


def box_energy_share(maps: torch.Tensor, boxes: torch.Tensor,
                     img_size: SizeLike) -> torch.Tensor:
    """Share of each map's energy that falls inside its ground-truth box.

    The map is taken as piecewise constant on its feature cells (each cell
    covering ``H / h x W / w`` pixels of the image, see the module
    docstring), and each cell counts with the exact fraction of its area
    that lies inside the box (no interpolation)::

        share = sum_ij m_ij |cell_ij & box| / |cell_ij| / sum_ij m_ij

    which equals the share of a nearest-neighbour upsampling of the map
    inside the box whenever the box edges fall on the upsampled grid.
    Negative map values are clipped to 0 first (the activation map of a
    ReLU stage and the GFB's normalised attention are >= 0 already). A map
    with zero energy gives 0.

    Args:
        maps (torch.Tensor): ``B x h x w`` maps on a grid covering the image.
        boxes (torch.Tensor): ``B x 4`` boxes ``(x1, y1, x2, y2)`` in image
            pixels (pixel-edge coordinates).
        img_size (Sequence[int] | Tensor): ``(H, W)`` of all images, or a
            ``B x 2`` array of ``(H, W)`` per image.

    Returns:
        torch.Tensor: ``B`` shares in [0, 1] (float64, on the maps' device).
    """
    if maps.dim() != 3:
        raise ValueError(f'Expected B x h x w maps, got {tuple(maps.shape)}')
    batch, height, width = maps.shape
    boxes = _as_f64(boxes).to(maps.device).reshape(-1, 4)  # boxes: B x 4
    if boxes.shape[0] != batch:
        raise ValueError(f'Need one box per map, got {boxes.shape[0]} boxes '
                         f'for {batch} maps')
    size = _per_image_sizes(img_size, batch).to(maps.device)  # size: B x 2
    frac_y = cell_overlap(boxes[:, 1], boxes[:, 3], height,
                          size[:, 0])  # frac_y: B x h
    frac_x = cell_overlap(boxes[:, 0], boxes[:, 2], width,
                          size[:, 1])  # frac_x: B x w
    weights = frac_y[:, :, None] * frac_x[:, None, :]  # weights: B x h x w
    return _energy_share(maps, weights)


def _pixel_to_cell(num_cells: int, num_pixels: int) -> torch.Tensor:
    """``num_cells x num_pixels``: the fraction of each cell covered by
    each pixel of an axis of ``num_pixels`` pixels."""
    pixels = torch.arange(num_pixels, dtype=torch.float64)  # P
    extent = torch.full((num_pixels, ), float(num_pixels),
                        dtype=torch.float64)  # P
    return cell_overlap(pixels, pixels + 1, num_cells,
                        extent).t()  # frac: n x P


def mask_energy_share(maps: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    """Share of each map's energy that falls inside a mask.

    Same convention as :func:`box_energy_share`: each feature cell counts
    with the exact fraction of its area covered by the mask, the mask being
    piecewise constant on its pixels (an ``H x W`` mask covers the same
    image as the ``h x w`` map; ``H``, ``W`` need not be multiples of ``h``,
    ``w``). So a mask of the map's own size weights every cell by its value,
    and a box mask gives :func:`box_energy_share` of the box. Negative map
    values are clipped to 0; a map with zero energy gives 0.

    Args:
        maps (torch.Tensor): ``B x h x w`` maps.
        masks (torch.Tensor): ``B x H x W`` binary masks (soft values in
            [0, 1] are weighted as they are), e.g. a CVSA view mask.

    Returns:
        torch.Tensor: ``B`` shares in [0, 1] (float64).
    """
    if maps.dim() != 3 or masks.dim() != 3 or len(maps) != len(masks):
        raise ValueError(f'Expected B x h x w maps and B x H x W masks, got '
                         f'{tuple(maps.shape)} and {tuple(masks.shape)}')
    height, width = maps.shape[1:]
    rows = _pixel_to_cell(height, masks.shape[1]).to(maps.device)  # h x H
    cols = _pixel_to_cell(width, masks.shape[2]).to(maps.device)  # w x W
    masks = masks.to(device=maps.device, dtype=torch.float64)  # B x H x W
    weights = torch.einsum('iy,byx,jx->bij', rows, masks,
                           cols)  # weights: B x h x w
    return _energy_share(maps, weights)


def correspondence_mask_agreement(
        corr: torch.Tensor,
        mask: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """How well a [0, 1] map matches a downsampled mask, per image.

    For the CVSA correspondence ``C_qk`` (B x HW, from
    :func:`mmfgssl.models.utils.correspondence`) against
    ``delta(M_q)`` (:func:`mmfgssl.models.utils.downsample_mask`), the two
    sides of CVSA Eq. 5, position by position:

    - the mean absolute error ``mean_p |C_p - M_p|``, in [0, 1];
    - the Pearson correlation of the ``HW`` values, in [-1, 1]; 0 when
      either side is constant over the image (its correlation is
      undefined), so the result is NaN-free.

    Args:
        corr (torch.Tensor): ``B x HW`` or ``B x h x w`` map.
        mask (torch.Tensor): ``B x h x w`` or ``B x HW`` mask with
            ``h * w = HW``.

    Returns:
        tuple[Tensor, Tensor]: ``B`` mean absolute errors and ``B`` Pearson
        correlations (float64).
    """
    a = corr.reshape(corr.shape[0], -1).to(torch.float64)  # a: B x HW
    b = mask.reshape(mask.shape[0], -1).to(
        device=a.device, dtype=torch.float64)  # b: B x HW
    if a.shape != b.shape:
        raise ValueError(f'The map {tuple(corr.shape)} and the mask '
                         f'{tuple(mask.shape)} have different sizes')
    mae = (a - b).abs().mean(1)  # mae: B
    constant = (a.amax(1) == a.amin(1)) | (b.amax(1) == b.amin(1))  # B
    da = a - a.mean(1, keepdim=True)  # da: B x HW
    db = b - b.mean(1, keepdim=True)  # db: B x HW
    denom = (da.pow(2).sum(1) * db.pow(2).sum(1)).sqrt()  # denom: B
    denom = torch.where(constant | (denom == 0), torch.ones_like(denom), denom)
    pearson = ((da * db).sum(1) / denom).clamp(-1, 1)  # pearson: B
    return mae, torch.where(constant, torch.zeros_like(pearson), pearson)


def cam_max_box_acc(maps: Union[torch.Tensor, Sequence[torch.Tensor]],
                    boxes: Sequence,
                    img_sizes: SizeLike,
                    thresholds: Optional[Sequence[float]] = None,
                    iou_threshold: float = 0.5) -> Dict:
    """MaxBoxAcc of feature-grid maps, at the image size.

    Each map is bilinearly upsampled (``align_corners=False``, as the
    :class:`~mmfgssl.evaluation.MaxBoxAcc` metric does) to the ``H x W`` of
    its image and scored by :func:`~.max_box_acc.max_box_acc` (min-max
    normalisation, threshold grid, largest 8-connected region, IoU >= 0.5
    with any ground-truth box).

    Args:
        maps (Tensor | Sequence[Tensor]): ``B x h x w`` maps (or B maps of
            any sizes).
        boxes (Sequence): Per image a ``K x 4`` (or ``4``) array of
            ``(x1, y1, x2, y2)`` boxes in pixels of its image; a ``B x 4``
            array gives one box per image.
        img_sizes (Sequence[int] | Tensor): ``(H, W)`` shared or ``B x 2``.
        thresholds (Sequence[float], optional): The CAM threshold grid;
            defaults to :func:`~.max_box_acc.default_cam_thresholds`.
        iou_threshold (float): Defaults to 0.5.

    Returns:
        dict: ``max_box_acc`` (percent), ``best_threshold`` and
        ``accuracies`` (percent per threshold), as
        :func:`~.max_box_acc.max_box_acc`.
    """
    sizes = _per_image_sizes(img_sizes, len(maps)).long()  # sizes: B x 2
    if len(boxes) != len(maps):
        raise ValueError(f'Need one box set per map, got {len(boxes)} for '
                         f'{len(maps)} maps')
    cams = []
    for cam, (height, width) in zip(maps, sizes.tolist()):
        cam = torch.as_tensor(cam).detach().float().cpu()  # cam: h x w
        cam = F.interpolate(
            cam[None, None], (height, width),
            mode='bilinear',
            align_corners=False)[0, 0]  # cam: H x W
        cams.append(cam.numpy())
    gt = [_as_f64(b).cpu().numpy().reshape(-1, 4) for b in boxes]
    return max_box_acc(cams, gt, thresholds, iou_threshold)


def rescale_boxes(boxes: torch.Tensor, ori_shape: SizeLike,
                  img_shape: SizeLike) -> torch.Tensor:
    """Boxes of the original image in the pixels of the resized input.

    For a pipeline that resizes the whole image (no crop, no flip):
    ``x * W_in / W_ori`` and ``y * H_in / H_ori``, the mapping of pixel
    edges (``[0, 0, W_ori, H_ori]`` becomes ``[0, 0, W_in, H_in]``), as
    mmcv's ``Resize`` rescales ``gt_bboxes``.

    Args:
        boxes (torch.Tensor): ``B x 4`` (or ``B x K x 4``) boxes.
        ori_shape (Sequence[int] | Tensor): ``(H_ori, W_ori)`` shared or
            ``B x 2``.
        img_shape (Sequence[int] | Tensor): ``(H_in, W_in)`` shared or
            ``B x 2``.

    Returns:
        torch.Tensor: The boxes, float64, same shape.
    """
    boxes = _as_f64(boxes)
    batch = boxes.shape[0]
    ori = _per_image_sizes(ori_shape, batch)  # ori: B x 2 (H, W)
    new = _per_image_sizes(img_shape, batch)  # new: B x 2 (H, W)
    scale = (new / ori).flip(1).repeat(1, 2).to(
        boxes.device)  # scale: B x 4 (sx, sy, sx, sy)
    scale = scale.reshape(batch, *([1] * (boxes.dim() - 2)), 4)
    return boxes * scale  # boxes: B x [K x] 4
