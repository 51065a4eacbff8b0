# Copyright (c) OpenMMLab. All rights reserved.
import torch
import torch.nn as nn
from mmpretrain.registry import MODELS

from ..utils.gradcam_fitting import check_kl_options, gradcam_kl_div


@MODELS.register_module()
class GradCAMKLLoss(nn.Module):
    """The GradCAM fitting loss of LCR (CVPR 2023, Eqs. 5-7).

    ``nu * KL(softmax(A / tau) || softmax(G / tau))`` over the ``H x W``
    positions, averaged over the images. Paper behaviour by default; each
    difference of the authors' code (GANPerf/LCR ``main_moco.py``) is a
    switch:

    ============  ===================  ==================================
    argument      paper (default)      authors' MoCo code
    ============  ===================  ==================================
    direction     ``'A||G'`` (Eq. 6)   ``'G||A'``
    softmax_dim   ``'hw'`` (Eq. 5)     ``'row'`` (last axis of the map)
    tau           0.4                  1.0 (no temperature)
    reduction     ``'mean'``           ``'sum'`` (grows with the batch)
    ============  ===================  ==================================

    The weight ``nu`` is not given in the paper; 0.01 is the code's
    ``args.nu``.

    Args:
        tau (float): Softmax temperature, > 0. Defaults to 0.4.
        direction (str): ``'A||G'`` or ``'G||A'``. Defaults to ``'A||G'``.
        softmax_dim (str): ``'hw'`` or ``'row'``. Defaults to ``'hw'``.
        reduction (str): ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): ``nu`` of Eq. 7. Defaults to 0.01.
    """

    def __init__(self,
                 tau: float = 0.4,
                 direction: str = 'A||G',
                 softmax_dim: str = 'hw',
                 reduction: str = 'mean',
                 loss_weight: float = 0.01) -> None:
        super().__init__()
        # invalid values fail when the config is built, not mid-training
        check_kl_options(
            'GradCAMKLLoss',
            tau=tau,
            direction=direction,
            softmax_dim=softmax_dim,
            reduction=reduction)
        self.tau = tau
        self.direction = direction
        self.softmax_dim = softmax_dim
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor, cam: torch.Tensor) -> torch.Tensor:
        """Weighted KL loss.

        Args:
            pred (Tensor): ``B x H x W`` GFB prediction ``A``.
            cam (Tensor): ``B x H x W`` GradCAM ``G``.

        Returns:
            Tensor: ``nu * L_KL``.
        """
        return self.loss_weight * gradcam_kl_div(
            pred, cam, self.tau, self.direction, self.softmax_dim,
            self.reduction)
