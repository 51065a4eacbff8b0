# Copyright (c) OpenMMLab. All rights reserved.
import torch
import torch.nn as nn
from mmpretrain.registry import MODELS

from mmfgssl.utils.checks import check_choice
from ..utils.saliency_alignment import ALIGN_REDUCTIONS, alignment_loss


@MODELS.register_module()
class SaliencyAlignLoss(nn.Module):
    """One term of CVSA's alignment loss (Align Yourself, AAAI 2022, Eq. 5).

    ``loss_weight * || delta(M_q) - C_qk ||^2``, averaged over the batch
    (see :func:`mmfgssl.models.utils.alignment_loss`).

    Args:
        loss_weight (float): The weight ``w`` of ``L = L_cont + w L_align``.
            Defaults to 1.0.
        reduction (str): Over the positions of a sample, ``'sum'`` (the
            squared norm of Eq. 5) or ``'mean'``. Defaults to 'sum'.
    """

    def __init__(self, loss_weight: float = 1.0, reduction: str = 'sum'):
        super().__init__()
        # the pure function's rule, checked when the config is built
        check_choice('SaliencyAlignLoss.reduction', reduction,
                     ALIGN_REDUCTIONS)
        self.loss_weight = loss_weight
        self.reduction = reduction

    def forward(self, corr: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Args: ``corr`` ``B x HW`` correspondence, ``mask`` ``B x h x w``
        downsampled saliency mask. Returns the weighted scalar loss."""
        return self.loss_weight * alignment_loss(corr, mask, self.reduction)
