# Copyright (c) OpenMMLab. All rights reserved.
import torch.nn as nn
from mmpretrain.models import ResNet
from mmpretrain.registry import MODELS


@MODELS.register_module()
class ResNetNoMaxPool(ResNet):
    """mmpretrain's :class:`ResNet` without the stem's 3 x 3 max-pool.

    The backbone of the BYOL code of LCR (CVPR 2023; ``cub_resnet_1.py`` of
    GANPerf/LCR comments the max-pool out): every stage's map is twice as
    large, so a 224 px image ends in a 14 x 14 last stage instead of 7 x 7,
    and the GradCAM and the GFB map are four times as fine. The weights are
    those of :class:`ResNet` (same names and shapes), so checkpoints load
    either way.

    Args:
        **kwargs: The arguments of :class:`ResNet`.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.maxpool = nn.Identity()
