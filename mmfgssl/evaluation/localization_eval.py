# Copyright (c) OpenMMLab. All rights reserved.
"""Where a frozen pre-trained backbone looks, against ground-truth boxes.

The metrics are the pure functions of
:mod:`mmfgssl.evaluation.functional.localization`; this module runs a
backbone over a loader and gathers maps and boxes.
"""
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch
from torch.utils.data import DataLoader

from .functional.localization import (activation_maps, box_energy_share,
                                      cam_max_box_acc, rescale_boxes)

__all__ = ['evaluate_localization', 'gfb_attention_fn']


def gfb_attention_fn(model) -> Callable[[torch.Tensor], torch.Tensor]:
    """The GFB attention ``A'`` of an LCR model (CVPR 2023, Eq. 4 and 8), as
    an ``attention_fn`` of :func:`evaluate_localization`: the model's
    ``gfb_head`` on the last-stage map, min-max normalised with its
    ``attention_norm``.

    Args:
        model: A GFB self-supervisor (``gfb_head``, ``attention_norm``).

    Returns:
        callable: ``B x C x h x w`` features to ``B x h x w`` maps in [0, 1].
    """
    from mmfgssl.models.utils.gradcam_fitting import normalize_attention
    if not hasattr(model, 'gfb_head'):
        raise ValueError(f'{type(model).__name__} has no gfb_head (not an '
                         'LCR / GFB model)')
    norm = dict(getattr(model, 'attention_norm', None) or {})

    def attention(feats: torch.Tensor) -> torch.Tensor:
        return normalize_attention(model.gfb_head(feats),
                                   **norm)  # attn: B x h x w

    return attention


def _boxes_by_path(dataset) -> Dict[str, np.ndarray]:
    """``img_path -> gt_bboxes`` (original-image pixels) of a dataset."""
    table = {}
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        if 'gt_bboxes' not in info:
            raise KeyError(f'{type(dataset).__name__}: sample {i} '
                           f'({info.get("img_path")}) has no "gt_bboxes"; '
                           'use a dataset with boxes (e.g. CUBWithBoxes)')
        table[info['img_path']] = np.asarray(
            info['gt_bboxes'], dtype=np.float64).reshape(-1, 4)
    return table


def _input_boxes(samples: Sequence, boxes_by_path: Dict[str, np.ndarray],
                 input_hw: Sequence[int]) -> torch.Tensor:
    """The single box of each sample, in the pixels of the input."""
    boxes, ori, new = [], [], []
    for sample in samples:
        for key in ('img_path', 'ori_shape', 'img_shape'):
            if key not in sample:
                raise KeyError(f'evaluate_localization: the samples need '
                               f'"{key}" (PackInputs\' default meta keys)')
        box = boxes_by_path[sample.img_path]  # K x 4
        if len(box) != 1:
            raise ValueError(f'{sample.img_path}: expected one box, got '
                             f'{len(box)}')
        ori_hw = tuple(int(v) for v in sample.ori_shape[:2])
        img_hw = tuple(int(v) for v in sample.img_shape[:2])
        if img_hw != tuple(input_hw):
            raise ValueError(f'{sample.img_path}: image of {img_hw} in an '
                             f'input of {tuple(input_hw)} (padded batch); '
                             'resize all images to one size')
        factor = sample.get('scale_factor')
        if factor is not None and any(
                abs(o * f - n) > 1
                for o, f, n in zip(ori_hw, factor[::-1], img_hw)):
            raise ValueError(
                f'{sample.img_path}: the pipeline crops (original '
                f'{ori_hw} x scale {tuple(factor)} != input {img_hw}); '
                'build the loader with build_eval_loader(..., crop=False)')
        boxes.append(box[0])
        ori.append(ori_hw)
        new.append(img_hw)
    return rescale_boxes(np.stack(boxes), np.array(ori), np.array(new))


@torch.no_grad()
def evaluate_localization(
        backbone: Optional[torch.nn.Module],
        loader: DataLoader,
        preprocessor: Callable,
        feat_fn: Optional[Callable[[torch.Tensor], torch.Tensor]] = None,
        attention_fn: Optional[Callable[[torch.Tensor], torch.Tensor]] = None,
        thresholds: Optional[Sequence[float]] = None) -> Dict[str, float]:
    """Box localisation of a frozen backbone's maps, in percent.

    For every image of the loader the last-stage map ``phi`` is computed
    and its activation map (:func:`activation_maps`, channel mean) scored
    against the image's ground-truth box:

    - ``maxboxacc``: MaxBoxAcc (Choe et al., CVPR 2020) of the map
      bilinearly upsampled to the input (:func:`cam_max_box_acc`);
    - ``box_energy``: mean share of the map's energy inside the box
      (:func:`box_energy_share`, times 100);
    - ``gfb_box_energy`` (only with ``attention_fn``): the same of
      ``attention_fn(phi)``, e.g. the GFB attention of an LCR model
      (:func:`gfb_attention_fn`).

    Boxes: read from the loader's dataset (``get_data_info(i)['gt_bboxes']``,
    ``(x1, y1, x2, y2)`` pixels of the original image, whatever the pipeline
    did to them), matched to the samples by ``img_path`` and rescaled to the
    network input by :func:`rescale_boxes` with each sample's ``ori_shape``
    and ``img_shape`` (``x * W_in / W_ori``, ``y * H_in / H_ori``). So the
    pipeline must resize the whole image without cropping or flipping,
    e.g. :func:`build_eval_loader` with ``crop=False``; a crop is detected
    from ``scale_factor`` and raises ``ValueError``. Every image must have
    one box, and all images of a batch one size.

    Args:
        backbone (nn.Module, optional): The backbone; ``backbone(x)[-1]`` is
            the last-stage map. Put in eval mode for the run (its mode is
            restored after). May be None when ``feat_fn`` is given.
        loader (DataLoader): Images of a dataset with ``gt_bboxes``.
        preprocessor (callable): A data preprocessor, called as
            ``preprocessor(data, False)``.
        feat_fn (callable, optional): ``B x 3 x H x W`` inputs to the
            ``B x C x h x w`` last-stage map, instead of
            ``backbone(x)[-1]``.
        attention_fn (callable, optional): ``B x C x h x w`` last-stage map
            to a ``B x h' x w'`` non-negative map on a grid covering the
            input.
        thresholds (Sequence[float], optional): MaxBoxAcc threshold grid;
            defaults to ``0, 0.01, ..., 0.99``.

    Returns:
        dict[str, float]: ``maxboxacc``, ``box_energy`` and, with
        ``attention_fn``, ``gfb_box_energy``, all in [0, 100].
    """
    if feat_fn is None:
        if backbone is None:
            raise ValueError('evaluate_localization needs a backbone or a '
                             'feat_fn')

        def feat_fn(inputs):
            return backbone(inputs)[-1]  # phi: B x C x h x w

    boxes_by_path = _boxes_by_path(loader.dataset)
    training = backbone.training if backbone is not None else None
    if backbone is not None:
        backbone.eval()
    maps: List[torch.Tensor] = []
    boxes: List[torch.Tensor] = []
    sizes: List[Sequence[int]] = []
    energy: List[torch.Tensor] = []
    attn_energy: List[torch.Tensor] = []
    try:
        for data in loader:
            data = preprocessor(data, False)
            inputs = data['inputs']  # inputs: B x 3 x H x W
            input_hw = tuple(inputs.shape[-2:])
            box = _input_boxes(data['data_samples'], boxes_by_path,
                               input_hw)  # box: B x 4
            feats = feat_fn(inputs)  # phi: B x C x h x w
            act = activation_maps(feats).float().cpu()  # act: B x h x w
            maps.extend(act)
            boxes.extend(box)
            sizes.extend([input_hw] * len(act))
            energy.append(box_energy_share(act, box, input_hw))  # B
            if attention_fn is not None:
                attn = attention_fn(feats).float().cpu()  # attn: B x h' x w'
                attn_energy.append(box_energy_share(attn, box, input_hw))
    finally:
        if backbone is not None:
            backbone.train(training)
    if not maps:
        raise ValueError('evaluate_localization: the loader is empty')
    out = dict(
        maxboxacc=cam_max_box_acc(maps, boxes, np.array(sizes),
                                  thresholds)['max_box_acc'],
        box_energy=100.0 * float(torch.cat(energy).mean()))
    if attention_fn is not None:
        out['gfb_box_energy'] = 100.0 * float(torch.cat(attn_energy).mean())
    return out
