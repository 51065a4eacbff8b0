# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS

from ..utils.gradcam_fitting import check_attention_norm, gfb_pool


@MODELS.register_module()
class GFBWeightedPooling(BaseModule):
    """LCR's inference pooling (CVPR 2023, Eq. 8) as a neck, for
    mmpretrain's ``ImageClassifier`` (linear probing of a pre-trained
    backbone), in place of ``GlobalAveragePooling``.

    ``f = sum_ij A'_ij phi_ij`` with ``A'`` the min-max normalised prediction
    of a trained GFB: the feature of the GFB algorithms' ``mode='tensor'``,
    then L2-normalised by default, as the authors' linear probe
    (``main_lincls.py`` of GANPerf/LCR feeds the classifier the normalised
    GFB-weighted feature).
    Load the branch from a MoCoGFB / BYOLGFB checkpoint through the head's
    ``init_cfg``, e.g. ``gfb_head=dict(type='GFBHead', in_channels=2048,
    init_cfg=dict(type='Pretrained', checkpoint=CKPT, prefix='gfb_head.'))``
    (and the backbone with ``prefix='backbone.'`` as usual).

    Args:
        gfb_head (dict): Config of the :class:`GFBHead`.
        attention_norm (dict, optional): Keyword arguments of
            :func:`normalize_attention` (default: per image, paper's
            denominator).
        frozen (bool): Keep the GFB fixed (eval mode, no gradients), as the
            backbone of a linear probe. Defaults to True.
        l2_normalize (bool): Divide each feature by its L2 norm (the
            authors' code). Defaults to True.
        init_cfg (dict, optional): Initialization config. Defaults to None.
    """

    def __init__(self,
                 gfb_head: dict,
                 attention_norm: Optional[dict] = None,
                 frozen: bool = True,
                 l2_normalize: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        self.gfb_head = MODELS.build(gfb_head)
        self.attention_norm = dict(attention_norm or {})
        check_attention_norm('GFBWeightedPooling', self.attention_norm)
        self.frozen = frozen
        self.l2_normalize = l2_normalize
        self.num_pool_fallbacks = 0
        if frozen:
            self.gfb_head.requires_grad_(False)

    def train(self, mode: bool = True) -> 'GFBWeightedPooling':
        super().train(mode)
        if self.frozen:
            self.gfb_head.eval()  # keep the BN statistics of pre-training
        return self

    def forward(self, inputs: Tuple[torch.Tensor]) -> Tuple[torch.Tensor]:
        """Pool the last feature map.

        Args:
            inputs (tuple[Tensor]): Backbone outputs; the last one,
                ``B x C x H x W``, is pooled.

        Returns:
            tuple[Tensor]: ``(f, )``, ``B x C``, of unit L2 norm with
            ``l2_normalize``.
        """
        feat = inputs[-1]  # phi: B x C x H x W
        pooled = gfb_pool(self.gfb_head, feat, self.attention_norm,
                          self)  # f: B x C
        if self.l2_normalize:
            pooled = F.normalize(pooled, dim=1)  # f / ||f||: B x C
        return (pooled, )
