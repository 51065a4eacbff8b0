# Copyright (c) OpenMMLab. All rights reserved.
from typing import List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS

from mmfgssl.utils.checks import check_choice
from ..utils import (ATTENTION_MODES, correspondence, cross_view_attention,
                     downsample_mask)


@MODELS.register_module()
class SaliencyAlignHead(BaseModule):
    """Cross-view saliency alignment head of CVSA (Align Yourself, AAAI
    2022, Sec. 4.2, Eqs. 3-5).

    For the online dense projections ``h_q`` of view q, the target dense
    projections ``h_k`` of view k and the saliency mask ``M_q`` of view q,
    at every level ``l``:

    - ``A_qk = p_conv(h_q) h_k^T`` (Eq. 3, ``B x HWq x HWk``),
    - ``C_qk = max_k sigmoid(A_qk)`` (Eq. 4, ``B x HWq``),
    - ``loss(C_qk, delta(M_q))`` (one term of Eq. 5),

    summed over the levels. The target side is detached (stop-gradient):
    only the online branch and the predictor ``p_conv`` learn from it. The
    algorithm calls :meth:`loss` once per direction (q->k, k->q) for the
    symmetric Eq. 5, as BYOL calls its head.

    Args:
        predictor (dict): The conv predictor ``p_conv``
            (``ConvNonLinearNeck``, one branch per level).
        loss (dict): The loss, ``SaliencyAlignLoss``.
        attention (str): How ``A`` compares positions, see
            :func:`~mmfgssl.models.utils.cross_view_attention`: ``'dot'``
            (Eq. 3 as written), ``'scaled'`` (the dot product over
            ``sqrt(d)``) or ``'cosine'``. The default ``'scaled'`` is not in
            the paper's text: with the literal dot product, ``A`` reaches
            hundreds, the sigmoid of Eq. 4 saturates and ``L_align`` barely
            trains; over ``sqrt(d)`` it falls by more than half in the
            synthetic regime (measured in configs/cvsa/README.md).
            Defaults to 'scaled'.
        temperature (float): ``A`` is divided by it before Eq. 4 (not in
            the paper, whose value is 1). Defaults to 1.0.
        mask_antialias (bool): See :func:`downsample_mask`. Defaults to True.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 predictor: dict,
                 loss: dict,
                 attention: str = 'scaled',
                 temperature: float = 1.0,
                 mask_antialias: bool = True,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.predictor = MODELS.build(predictor)
        self.loss_module = MODELS.build(loss)
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        check_choice('SaliencyAlignHead.attention', attention, ATTENTION_MODES)
        self.attention = attention
        self.temperature = temperature
        self.mask_antialias = mask_antialias

    def correspondence(self, online_q: Sequence[torch.Tensor],
                       target_k: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """The correspondence map ``C_qk`` of view q against view k at every
        level (Eqs. 3-4, with the head's ``attention`` and ``temperature``).

        Args:
            online_q (Sequence[torch.Tensor]): Online ``h_q,conv`` per level,
                ``B x d x H_l x W_l``.
            target_k (Sequence[torch.Tensor]): Target ``h_k,conv`` per level,
                ``B x d x H'_l x W'_l``; detached (stop-gradient).

        Returns:
            list[torch.Tensor]: ``B x H_l x W_l`` per level, in (0, 1).
        """
        pred_q = self.predictor(online_q)  # pred_q[l]: B x d x H_l x W_l
        maps = []
        for pred, target in zip(pred_q, target_k):
            attn = cross_view_attention(pred, target.detach(),
                                        self.attention)  # attn: B x HWq x HWk
            corr = correspondence(attn / self.temperature)  # corr: B x HWq
            maps.append(corr.reshape(-1, *pred.shape[-2:]))  # B x H_l x W_l
        return maps

    def loss(self, online_q: Sequence[torch.Tensor],
             target_k: Sequence[torch.Tensor],
             mask_q: torch.Tensor) -> torch.Tensor:
        """One direction of Eq. 5, summed over the levels.

        Args:
            online_q (Sequence[torch.Tensor]): Online ``h_q,conv`` per level,
                ``B x d x H_l x W_l``.
            target_k (Sequence[torch.Tensor]): Target ``h_k,conv`` per level,
                ``B x d x H_l x W_l``.
            mask_q (torch.Tensor): ``B x H x W`` saliency mask of view q.

        Returns:
            torch.Tensor: Scalar loss.
        """
        total = 0.
        for corr in self.correspondence(online_q, target_k):
            # corr: B x H_l x W_l; mask: B x H_l x W_l
            mask = downsample_mask(mask_q, corr.shape[-2:],
                                   self.mask_antialias)
            total = total + self.loss_module(corr.flatten(1), mask)
        return total
