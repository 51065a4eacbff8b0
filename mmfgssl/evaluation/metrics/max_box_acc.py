# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric
from mmpretrain.registry import METRICS

from ..functional.max_box_acc import (box_hits, default_cam_thresholds,
                                      summarize_box_hits)


@METRICS.register_module()
class MaxBoxAcc(BaseMetric):
    """MaxBoxAcc (Choe et al., "Evaluating Weakly Supervised Object
    Localization Methods Right", CVPR 2020; CVSA, AAAI 2022, Table 1).

    For every image the CAM is bilinearly upsampled to the input image
    (``img_shape``), min-max normalised, and at each threshold of the grid
    the box around its largest connected region is compared with the
    dataset's ``gt_bboxes``; see
    :func:`mmfgssl.evaluation.functional.box_hits`. Only the hit flags are
    kept per image, so memory stays small and DDP gathers them.

    The model must give each sample ``cam`` (e.g. :class:`CAMClassifier`)
    and the test pipeline must keep ``gt_bboxes`` in the image's pixel grid
    and must not crop: resize the whole image (mmcv's ``Resize`` rescales
    the boxes with it) and pack the boxes with
    ``PackInputs(algorithm_keys=('gt_bboxes', ))``.

    Args:
        cam_curve_interval (float): Step of the threshold grid
            ``[0, 1)``. Defaults to 0.01 (Choe et al.).
        iou_threshold (float): Defaults to 0.5.
        collect_device (str): Defaults to 'cpu'.
        prefix (str, optional): Defaults to ``'loc'``.
    """
    default_prefix: Optional[str] = 'loc'

    def __init__(self,
                 cam_curve_interval: float = 0.01,
                 iou_threshold: float = 0.5,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 < cam_curve_interval < 1:
            raise ValueError(f'MaxBoxAcc: cam_curve_interval must be in '
                             f'(0, 1), got {cam_curve_interval}')
        self.thresholds = default_cam_thresholds(cam_curve_interval)
        self.iou_threshold = iou_threshold

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Hit flags per threshold of every sample."""
        for sample in data_samples:
            for key in ('cam', 'gt_bboxes', 'img_shape'):
                if key not in sample:
                    raise KeyError(
                        f'MaxBoxAcc: sample {sample.get("img_path")} has no '
                        f'"{key}" (keys: {sorted(sample)}); use a model that '
                        'predicts `cam` (CAMClassifier) and '
                        "PackInputs(algorithm_keys=('gt_bboxes', ))")
            cam = torch.as_tensor(sample['cam']).float().cpu()  # h x w
            height, width = sample['img_shape'][:2]
            cam = F.interpolate(
                cam[None, None], (height, width),
                mode='bilinear',
                align_corners=False)[0, 0]  # H x W
            boxes = np.asarray(
                torch.as_tensor(sample['gt_bboxes']).cpu(),
                dtype=np.float64).reshape(-1, 4)
            self.results.append(
                box_hits(cam.numpy(), boxes, self.thresholds,
                         self.iou_threshold))

    def compute_metrics(self, results: List[np.ndarray]) -> dict:
        """MaxBoxAcc (percent) and the threshold that reaches it."""
        out = summarize_box_hits(np.stack(results), self.thresholds)
        return dict(
            MaxBoxAcc=out['max_box_acc'], best_threshold=out['best_threshold'])
