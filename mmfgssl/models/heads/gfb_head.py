# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS

from ..utils.gradcam_fitting import maxout, normalize_attention


@MODELS.register_module()
class GFBHead(BaseModule):
    """GradCAM fitting branch (GFB) of LCR (CVPR 2023, section 3.2, Eq. 4).

    ``A_ij = max_k w_k . phi_ij``: a 1 x 1 convolution with K filters (no
    bias) followed by a max-out over the K responses. The authors' code puts
    BN and ReLU between the two; that is the default here because the
    inference normalisation of Eq. 8, ``(A - min A) / (1e-7 + max A)``,
    assumes ``A >= 0``. ``norm_cfg=None, with_relu=False`` is Eq. 4 as
    printed (then prefer ``denominator='range'`` for the normalisation).

    Args:
        in_channels (int): Channels C of the feature map.
        num_projections (int): K, the number of filters, 1 <= K <= C.
            Defaults to 32 (paper).
        norm_cfg (dict, optional): Norm layer after the convolution; None for
            none. Defaults to ``dict(type='BN')`` (authors' code).
        with_relu (bool): ReLU before the max-out. Defaults to True (code).
        loss (dict): The fitting loss. Defaults to
            ``dict(type='GradCAMKLLoss')`` (paper's KL, ``nu = 0.01``).
        init_cfg (dict, optional): Initialization config. Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 num_projections: int = 32,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 with_relu: bool = True,
                 loss: dict = dict(type='GradCAMKLLoss'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        if not 1 <= num_projections <= in_channels:
            raise ValueError(
                f'GFBHead: num_projections (K) must be in [1, in_channels = '
                f'{in_channels}], got {num_projections}: a branch with more '
                'projections than channels has no limited fitting capacity')
        self.in_channels = in_channels
        self.num_projections = num_projections
        self.conv = nn.Conv2d(
            in_channels, num_projections, kernel_size=1, bias=False)
        self.norm = (
            build_norm_layer(norm_cfg, num_projections)[1]
            if norm_cfg is not None else nn.Identity())
        self.relu = nn.ReLU() if with_relu else nn.Identity()
        self.loss_module = MODELS.build(loss)

    def forward(self, feat: torch.Tensor) -> torch.Tensor:
        """Predict the GradCAM.

        Args:
            feat (Tensor): ``B x C x H x W`` last-stage feature map.

        Returns:
            Tensor: ``B x H x W`` prediction ``A``.
        """
        if feat.dim() != 4 or feat.size(1) != self.in_channels:
            raise ValueError(f'GFBHead expects B x {self.in_channels} x H x '
                             f'W features, got {tuple(feat.shape)}')
        x = self.relu(self.norm(self.conv(feat)))  # x: B x K x H x W
        return maxout(x)  # A: B x H x W

    def loss(self,
             feat: torch.Tensor,
             cam: torch.Tensor,
             normalize: Optional[dict] = None) -> torch.Tensor:
        """The fitting loss ``nu * L_KL`` of the prediction on ``feat``.

        Args:
            feat (Tensor): ``B x C x H x W`` feature map (detached by the
                caller for the paper's behaviour).
            cam (Tensor): ``B x H x W`` GradCAM target.
            normalize (dict, optional): Fit the min-max normalised
                prediction ``A'`` (:func:`normalize_attention` with these
                arguments) instead of ``A``, as the authors' code does.
                Defaults to None (``A``, Eq. 6).

        Returns:
            Tensor: The weighted loss.
        """
        pred = self(feat)  # A: B x H x W
        if normalize is not None:
            pred = normalize_attention(pred, **normalize)  # A': B x H x W
        return self.loss_module(pred, cam)
