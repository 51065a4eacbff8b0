# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Optional

import torch
from mmpretrain.models import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..utils.cam import activation_cam, class_cam


@MODELS.register_module()
class CAMClassifier(ImageClassifier):
    """mmpretrain's ``ImageClassifier`` whose predictions also carry a class
    activation map of the last backbone stage, for localisation metrics
    (``MaxBoxAcc``) and pictures.

    Each predicted sample gets ``cam``, an ``h x w`` map at the feature
    resolution (the metric upsamples it):

    - ``cam_type='activation'``: the channel sum of the feature map
      (:func:`activation_cam`), for any pre-trained backbone; no head is
      needed (without one, samples carry only the CAM).
    - ``cam_type='class'``: the CAM of Zhou et al. (:func:`class_cam`) from
      the ``fc`` of a ``LinearClsHead`` after a linear probe, for the
      ground-truth class (``cam_class='gt'``, as Choe et al., CVPR 2020) or
      the predicted one (``'pred'``).

    Args:
        cam_type (str): ``'activation'`` or ``'class'``.
        cam_class (str): ``'gt'`` or ``'pred'``. Defaults to ``'gt'``.
        **kwargs: Arguments of ``ImageClassifier``.
    """

    def __init__(self,
                 *args,
                 cam_type: str = 'activation',
                 cam_class: str = 'gt',
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if cam_type not in ('activation', 'class'):
            raise ValueError(f"CAMClassifier: cam_type must be 'activation' "
                             f"or 'class', got {cam_type!r}")
        if cam_class not in ('gt', 'pred'):
            raise ValueError(f"CAMClassifier: cam_class must be 'gt' or "
                             f"'pred', got {cam_class!r}")
        if cam_type == 'class' and not hasattr(
                getattr(self, 'head', None), 'fc'):
            raise ValueError("CAMClassifier: cam_type='class' needs a head "
                             'with a linear `fc` (LinearClsHead)')
        self.cam_type = cam_type
        self.cam_class = cam_class

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                **kwargs) -> List[DataSample]:
        """Head predictions (if any) plus ``cam`` per sample."""
        feats = self.backbone(inputs)  # tuple; last: B x C x h x w
        fmap = feats[-1]
        if self.with_head:
            neck_out = self.neck(feats) if self.with_neck else feats
            samples = self.head.predict(neck_out, data_samples, **kwargs)
        else:
            samples = data_samples or [
                DataSample() for _ in range(inputs.size(0))
            ]
        if self.cam_type == 'activation':
            cams = activation_cam(fmap)  # B x h x w
        else:
            if self.cam_class == 'gt':
                if any('gt_label' not in s for s in samples):
                    raise KeyError("CAMClassifier: cam_class='gt' needs "
                                   'gt_label in every sample')
                labels = torch.cat([s.gt_label for s in samples])
            else:
                labels = torch.cat([s.pred_label for s in samples])
            cams = class_cam(fmap, self.head.fc.weight,
                             labels.to(fmap.device))  # B x h x w
        for sample, cam in zip(samples, cams):
            sample.set_field(cam.detach(), 'cam')
        return samples
