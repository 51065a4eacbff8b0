# Copyright (c) OpenMMLab. All rights reserved.
from typing import Dict, List

import torch
from mmpretrain.models import BYOL
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .gfb_mixin import GFBMixin


@MODELS.register_module()
class BYOLGFB(GFBMixin, BYOL):
    """BYOL with LCR's GradCAM fitting branch (CVPR 2023, Table 3
    "BYOL+Ours").

    mmpretrain's :class:`BYOL` unchanged, plus the GFB of
    :class:`GFBMixin`. BYOL's loss is symmetric, so both views are online
    views: the GradCAM of ``L_CL`` is taken on each view's last-stage map and
    ``loss_kl`` is the mean of the two fitting losses.

    Args:
        gfb_head (dict): Config of the :class:`GFBHead`.
        loss_cl_weight, cam_graph, cam_per_image_loss, cam_loss_scale,
            cam_views, gfb_input, fit_target, train_pooling,
            test_pooling, attention_norm: See :class:`GFBMixin`.
        **kwargs: The arguments of mmpretrain's :class:`BYOL`.
    """

    momentum_encoder = 'target_net'

    def loss(self, inputs: List[torch.Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """BYOL's loss and the GradCAM fitting loss of both views.

        Args:
            inputs (list[Tensor]): The two views.
            data_samples (list[DataSample]): The samples.

        Returns:
            dict[str, Tensor]: ``loss_cl``, ``loss_kl``, ``cam_zero_ratio``.
        """
        return self.gfb_loss(super().loss, inputs, data_samples, **kwargs)
