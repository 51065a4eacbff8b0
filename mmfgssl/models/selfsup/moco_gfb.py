# Copyright (c) OpenMMLab. All rights reserved.
from typing import Dict, List

import torch
from mmpretrain.models import MoCo
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .gfb_mixin import GFBMixin


@MODELS.register_module()
class MoCoGFB(GFBMixin, MoCo):
    """MoCo v2 with LCR's GradCAM fitting branch (CVPR 2023, "Ours").

    mmpretrain's :class:`MoCo` unchanged, plus the GFB of
    :class:`GFBMixin`: the GradCAM is taken on the query view's last-stage
    map; the loss is ``loss_cl`` (``lambda * L_CL``, MoCo's InfoNCE) plus
    ``loss_kl`` (``nu * L_KL``). See :class:`GFBMixin` for the switches.

    Takes the arguments of :class:`BYOLGFB`, with ``**kwargs`` those of
    mmpretrain's :class:`MoCo`.
    """

    momentum_encoder = 'encoder_k'

    def loss(self, inputs: List[torch.Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """MoCo's loss and the GradCAM fitting loss of the query view.

        Args:
            inputs (list[Tensor]): The query and key views.
            data_samples (list[DataSample]): The samples.

        Returns:
            dict[str, Tensor]: ``loss_cl``, ``loss_kl``, ``cam_zero_ratio``.
        """
        return self.gfb_loss(super().loss, inputs, data_samples, **kwargs)
