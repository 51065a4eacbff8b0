# Copyright (c) OpenMMLab. All rights reserved.
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmpretrain.models import BYOL
from mmpretrain.models.utils import CosineEMA
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


@MODELS.register_module()
class CVSA(BYOL):
    """BYOL + cross-view saliency alignment (CVSA).

    Implementation of `Align Yourself: Self-supervised Pre-training for
    Fine-grained Recognition via Saliency Alignment` (AAAI 2022), Sec. 4.2
    and Fig. 3, on top of mmpretrain's :class:`~mmpretrain.models.BYOL`:

    - global branch, as BYOL: the MLP projector ``neck`` on the last stage
      (stage 4) and the MLP predictor / loss ``head``. ``loss_cont`` is
      mmpretrain's BYOL loss ``2 * (l(q, k) + l(k, q))`` with
      ``l = -cos`` (mmpretrain's ``CosineSimilarityLoss``), i.e.
      ``4 L_cont`` of the paper's Eq. 6.
    - dense branch: the conv projector ``dense_neck`` (``g_conv``) on the
      feature maps of ``align_stages`` (``l`` of the paper: stage 4 by
      default, 3, or both), and the alignment head ``align_head``
      (``p_conv``, Eqs. 3-5). ``loss_align = w (L(q->k) + L(k->q))``, the
      symmetric Eq. 5 weighted by the head's ``loss.loss_weight``. Because
      ``loss_cont`` is 4 times the paper's ``L_cont``, the configs set
      ``loss_weight=4`` for the paper's ``L = L_cont + L_align`` (Eq. 7).
    - target network: the EMA (mmpretrain's :class:`CosineEMA`) of the
      online backbone, MLP projector *and* conv projector; no gradient
      reaches it.

    The views' saliency masks come in ``data_samples`` under ``mask_key``
    (``MultiViewWithMask`` + ``PackInputs(algorithm_keys=['saliency_mask'])``).
    The two losses are returned separately (``loss_cont``, ``loss_align``);
    the optimiser minimises their sum.

    Args:
        backbone (dict): Backbone config; its ``out_indices`` must contain
            stage 4 (index 3) and every ``align_stages`` (index ``s - 1``).
        dense_neck (dict): The conv projector ``g_conv``, one level per
            ``align_stages`` entry.
        align_head (dict): :class:`SaliencyAlignHead` config.
        align_stages (Sequence[int]): ResNet stages (1-4) of the dense
            branch. Defaults to ``(4, )``.
        mask_key (str): Data-sample field of the views' masks. Defaults to
            ``'saliency_mask'``.
        **kwargs: The other arguments of mmpretrain's :class:`BYOL`: the MLP
            projector ``neck`` (``g_mlp``), the ``head`` (MLP predictor
            ``p_mlp`` and loss), ``base_momentum`` (0.004 by default),
            ``pretrained``, ``data_preprocessor``, ``init_cfg``.
    """

    def __init__(self,
                 backbone: dict,
                 dense_neck: dict,
                 align_head: dict,
                 align_stages: Sequence[int] = (4, ),
                 mask_key: str = 'saliency_mask',
                 **kwargs) -> None:
        out_indices = list(backbone.get('out_indices', (3, )))
        if isinstance(backbone.get('out_indices', (3, )), int):
            out_indices = [backbone['out_indices']]
        missing = [s for s in (4, *align_stages) if s - 1 not in out_indices]
        if missing:
            raise ValueError(
                f'CVSA: model.backbone.out_indices={tuple(out_indices)} lacks '
                f'the stages {missing} (index = stage - 1) needed by the '
                f'global branch (stage 4) and model.align_stages='
                f'{tuple(align_stages)}')
        super().__init__(backbone=backbone, **kwargs)
        self.dense_neck = MODELS.build(dense_neck)
        self.align_head = MODELS.build(align_head)
        self.align_stages = tuple(align_stages)
        self.global_level = out_indices.index(3)
        self.align_levels = [out_indices.index(s - 1) for s in align_stages]
        self.mask_key = mask_key
        # the target network: EMA of backbone, MLP and conv projectors
        # (replaces BYOL's EMA of backbone + MLP projector)
        self.target_net = CosineEMA(
            self._online_net(), momentum=self.target_net.momentum)

    def _online_net(self) -> nn.ModuleList:
        """The online modules the target network averages, in its order."""
        return nn.ModuleList([self.backbone, self.neck, self.dense_neck])

    def _branches(self, nets: Sequence[nn.Module],
                  img: torch.Tensor) -> Tuple[torch.Tensor, Tuple]:
        """Global projection and dense projections of one view."""
        backbone, neck, dense_neck = nets
        feats = backbone(img)  # feats[i]: B x C_i x H_i x W_i
        proj = neck((feats[self.global_level], ))[0]  # proj: B x d
        levels = tuple(feats[i] for i in self.align_levels)
        dense = dense_neck(levels)  # dense[l]: B x d x H_l x W_l
        return proj, dense

    def _masks(self, data_samples: List[DataSample],
               device: torch.device) -> torch.Tensor:
        """The views' masks as a ``V x B x H x W`` float tensor."""
        masks = []
        for i, sample in enumerate(data_samples):
            if self.mask_key not in sample:
                raise KeyError(
                    f'CVSA: data sample {i} has no {self.mask_key!r}. Build '
                    'the views with MultiViewWithMask(SaliencySwap, ...) and '
                    "pack them with PackInputs(algorithm_keys=['"
                    f"{self.mask_key}'])")
            views = np.stack([
                np.asarray(v) for v in sample.get(self.mask_key)
            ])  # views: V x H x W
            masks.append(torch.as_tensor(views))
        # masks: V x B x H x W
        return torch.stack(masks, 1).to(device=device, dtype=torch.float32)

    @torch.no_grad()
    def correspondence(self, img_q: torch.Tensor,
                       img_k: torch.Tensor) -> List[torch.Tensor]:
        """The correspondence maps ``C_qk`` of view q against view k (Eqs.
        3-4), computed as in training: the online backbone and conv
        projector on view q, the target (EMA) ones on view k, then the
        alignment head's predictor and :meth:`SaliencyAlignHead.
        correspondence`. For inspection (``vis_attention.py``); no gradient.

        Args:
            img_q (torch.Tensor): ``B x 3 x H x W`` view q, preprocessed.
            img_k (torch.Tensor): ``B x 3 x H' x W'`` view k, preprocessed.

        Returns:
            list[torch.Tensor]: ``B x H_l x W_l`` in (0, 1), one map per
            ``align_stages`` entry, in that order.
        """
        _, dense_q = self._branches(self._online_net(), img_q)
        _, tdense_k = self._branches(self.target_net.module, img_k)
        return self.align_head.correspondence(dense_q, tdense_k)

    def loss(self, inputs: List[torch.Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """BYOL's contrastive loss and the alignment loss of two views.

        Args:
            inputs (list[torch.Tensor]): Two ``B x 3 x H x W`` views.
            data_samples (list[DataSample]): With the views' masks.

        Returns:
            dict[str, torch.Tensor]: ``loss_cont`` and ``loss_align``.
        """
        assert isinstance(inputs, list) and len(inputs) == 2
        img_q, img_k = inputs  # img_*: B x 3 x H x W
        mask_q, mask_k = self._masks(data_samples, img_q.device)  # B x H x W
        online = self._online_net()
        # proj_*: B x d; dense_*[l]: B x d x H_l x W_l
        proj_q, dense_q = self._branches(online, img_q)
        proj_k, dense_k = self._branches(online, img_k)
        with torch.no_grad():
            self.target_net.update_parameters(online)
            target = self.target_net.module
            # tproj_*: B x d; tdense_*[l]: B x d x H_l x W_l
            tproj_q, tdense_q = self._branches(target, img_q)
            tproj_k, tdense_k = self._branches(target, img_k)

        # Eq. 6 (x 4, see the class docstring), scalar
        loss_cont = 2. * (
            self.head.loss(proj_q, tproj_k) + self.head.loss(proj_k, tproj_q))
        # Eq. 5, both directions, scalar
        loss_align = self.align_head.loss(dense_q, tdense_k, mask_q) + \
            self.align_head.loss(dense_k, tdense_q, mask_k)
        return dict(loss_cont=loss_cont, loss_align=loss_align)
