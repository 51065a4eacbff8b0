# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS


@MODELS.register_module()
class ConvNonLinearNeck(BaseModule):
    """Convolutional projector / predictor of CVSA's dense branch.

    ``g_conv`` and ``p_conv`` of CVSA (Align Yourself, AAAI 2022, Sec. 4.2,
    Fig. 3): two 1x1 convolutions with a normalisation layer and a ReLU in
    between, ``1x1 conv - BN - ReLU - 1x1 conv``, applied at every position
    of a feature map, so the map keeps its ``H x W``. One independent branch
    per input level (e.g. ResNet stages 3 and 4).

    Args:
        in_channels (int | Sequence[int]): Input channels, one per level.
        hid_channels (int): Hidden channels.
        out_channels (int): Output channels ``d``.
        norm_cfg (dict): Normalisation of the hidden layer. Defaults to
            ``dict(type='SyncBN')`` as mmpretrain's ``NonLinearNeck``.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(
        self,
        in_channels: Union[int, Sequence[int]],
        hid_channels: int,
        out_channels: int,
        norm_cfg: dict = dict(type='SyncBN'),
        init_cfg: Optional[Union[dict, List[dict]]] = dict(
            type='Kaiming', layer='Conv2d')
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(in_channels, int):
            in_channels = [in_channels]
        self.in_channels = list(in_channels)
        self.branches = nn.ModuleList()
        for channels in self.in_channels:
            self.branches.append(
                nn.Sequential(
                    nn.Conv2d(channels, hid_channels, 1, bias=False),
                    build_norm_layer(norm_cfg, hid_channels)[1],
                    nn.ReLU(inplace=True),
                    nn.Conv2d(hid_channels, out_channels, 1)))

    def forward(self, x: Sequence[torch.Tensor]) -> Tuple[torch.Tensor]:
        """Project every level.

        Args:
            x (Sequence[torch.Tensor]): One ``B x C_l x H_l x W_l`` map per
                level.

        Returns:
            tuple[torch.Tensor]: One ``B x out_channels x H_l x W_l`` map per
            level.
        """
        if len(x) != len(self.branches):
            raise ValueError(f'{type(self).__name__} has {len(self.branches)}'
                             f' levels (in_channels={self.in_channels}) but '
                             f'got {len(x)} feature maps')
        # out[l]: B x out_channels x H_l x W_l
        return tuple(branch(feat) for branch, feat in zip(self.branches, x))
