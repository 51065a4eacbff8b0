# Copyright (c) OpenMMLab. All rights reserved.
from typing import Dict, List

import torch
import torch.nn.functional as F
from mmpretrain.models import BaseSelfSupervisor
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from ..utils.instance_discrimination import memory_bank_logits


@MODELS.register_module()
class NPID(BaseSelfSupervisor):
    """Non-parametric instance discrimination with a memory bank.

    Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance
    Discrimination", CVPR 2018 (arXiv 1805.01978), as DiLo (Zhao et al.,
    "Distilling Localization for Self-Supervised Representation Learning",
    AAAI 2021, arXiv 2004.06638) trains it for its Tables 2 and 3: each
    image is its own class; the probability that a view ``v~`` is image
    ``i`` is ``exp(v_i^T v~ / tau) / sum_j exp(v_j^T v~ / tau)`` (Eq. 1),
    with the ``v_j`` the memory rows; the sum runs over the own row and
    ``neg_num`` uniformly drawn rows (K = 4096), and the loss is the
    cross-entropy of the own row among them ("softmax NCE", section 6.1),
    which is mmpretrain's :class:`ContrastiveHead` with ``temperature``
    0.07. After the step the own rows move towards the new embeddings with
    momentum (:class:`~mmfgssl.models.utils.MemoryBank`).

    One view per image: the pipeline's ``MultiView`` has ``num_views=1``
    and ``PackInputs`` keeps ``sample_idx`` (its default meta keys do).

    Args:
        memory_bank (dict): ``MemoryBank`` with ``length`` the number of
            training images.
        neg_num (int): Rows drawn per view. Defaults to 4096.
        **kwargs: The arguments of :class:`BaseSelfSupervisor`: the
            ``backbone``, the embedding ``neck`` (e.g. ``LinearNeck``
            2048 -> 128), the ``ContrastiveHead`` with the temperature,
            ``pretrained``, ``data_preprocessor``, ``init_cfg``.
    """

    def __init__(self, memory_bank: dict, neg_num: int = 4096, **kwargs):
        super().__init__(**kwargs)
        if neg_num < 1:
            raise ValueError(f'NPID: neg_num must be >= 1, got {neg_num}')
        self.memory_bank = MODELS.build(memory_bank)
        self.neg_num = int(neg_num)

    @staticmethod
    def sample_indices(data_samples: List[DataSample], device) -> torch.Tensor:
        """The samples' dataset indices (their memory rows)."""
        missing = [
            i for i, s in enumerate(data_samples) if 'sample_idx' not in s
        ]
        if missing:
            raise KeyError(
                'NPID: data samples without `sample_idx` (batch positions '
                f'{missing[:5]}); keep it in the meta_keys of PackInputs')
        return torch.tensor([int(s.sample_idx) for s in data_samples],
                            dtype=torch.long,
                            device=device)  # B

    def loss(self, inputs: List[torch.Tensor], data_samples: List[DataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """The softmax-NCE loss of Eq. 1, then the memory update.

        Args:
            inputs (list[Tensor]): One view, ``B x 3 x H x W``.
            data_samples (list[DataSample]): The samples, with
                ``sample_idx``.

        Returns:
            dict[str, Tensor]: ``loss`` and ``bank_written`` (the fraction
            of memory rows updated so far; not a loss).
        """
        if isinstance(inputs, torch.Tensor):
            inputs = [inputs]
        if len(inputs) != 1:
            raise ValueError(
                f'NPID takes one view per image, got {len(inputs)}; use '
                "dict(type='MultiView', num_views=1, ...)")
        img = inputs[0]  # img: B x 3 x H x W
        bank = self.memory_bank
        bank.sync()
        idx = self.sample_indices(data_samples, img.device)  # idx: B
        bank.check_indices(idx)
        feats = self.neck(self.backbone(img))[0]  # feats: B x D
        feats = F.normalize(feats, dim=1)
        neg_idx = bank.sample_negatives(idx.shape[0], self.neg_num)  # B x K
        pos, neg = memory_bank_logits(feats, bank.bank, idx,
                                      neg_idx)  # B x 1, B x K
        loss = self.head.loss(pos, neg)
        bank.update(idx, feats)
        return dict(
            loss=loss,
            bank_written=torch.tensor(
                bank.written_fraction(), device=img.device))
