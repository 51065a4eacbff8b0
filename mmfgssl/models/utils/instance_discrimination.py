# Copyright (c) OpenMMLab. All rights reserved.
"""The math of non-parametric instance discrimination with a memory bank
(NPID: Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance
Discrimination", CVPR 2018, arXiv 1805.01978), the learner of DiLo (Zhao et
al., "Distilling Localization for Self-Supervised Representation Learning",
AAAI 2021, arXiv 2004.06638, section 5.1 and Eq. 1)."""
import math

import torch
import torch.nn.functional as F

__all__ = [
    'memory_bank_init', 'memory_bank_logits', 'momentum_update_rows',
    'sample_negative_indices'
]


def memory_bank_init(length: int,
                     feat_dim: int,
                     generator: torch.Generator = None) -> torch.Tensor:
    """The initial memory of NPID's code: i.i.d. uniform entries in
    ``[-s, s]`` with ``s = 1 / sqrt(feat_dim / 3)``, so that each entry has
    variance ``1 / feat_dim`` and each row an expected squared norm of 1.

    Args:
        length (int): Rows, one per training image.
        feat_dim (int): The embedding dimension D.
        generator (torch.Generator, optional): The random source.

    Returns:
        Tensor: ``length x D``.
    """
    if length < 1 or feat_dim < 1:
        raise ValueError(f'memory bank: need length >= 1 and feat_dim >= 1, '
                         f'got {length} and {feat_dim}')
    stdv = 1. / math.sqrt(feat_dim / 3.)
    bank = torch.rand(length, feat_dim, generator=generator)  # N x D
    return bank.mul_(2 * stdv).sub_(stdv)


def sample_negative_indices(length: int,
                            batch: int,
                            num: int,
                            device=None,
                            generator: torch.Generator = None) -> torch.Tensor:
    """``num`` memory rows per sample, uniform over the ``length`` rows and
    with replacement (NPID's sampler; a row may be the sample's own).

    Returns:
        Tensor: ``batch x num`` int64 indices.
    """
    if num < 1:
        raise ValueError(f'memory bank: need >= 1 negative, got {num}')
    return torch.randint(
        0, length, (batch, num), device=device, generator=generator)


def memory_bank_logits(feats: torch.Tensor, bank: torch.Tensor,
                       pos_idx: torch.Tensor, neg_idx: torch.Tensor):
    """The similarities of DiLo's Eq. 1 before the temperature: each
    embedding against its own memory row (``v_i^T v~``) and against the
    sampled rows (``v_j^T v~``). The memory rows carry no gradient.

    Args:
        feats (Tensor): ``B x D`` L2-normalised embeddings of the views.
        bank (Tensor): ``N x D`` memory.
        pos_idx (Tensor): ``B`` the samples' own rows.
        neg_idx (Tensor): ``B x K`` sampled rows.

    Returns:
        tuple[Tensor, Tensor]: ``B x 1`` positive and ``B x K`` negative
        similarities.
    """
    bank = bank.detach()
    pos = (feats * bank[pos_idx]).sum(1, keepdim=True)  # pos: B x 1
    neg = torch.einsum('bd,bkd->bk', feats, bank[neg_idx])  # neg: B x K
    return pos, neg


def momentum_update_rows(rows: torch.Tensor, feats: torch.Tensor,
                         momentum: float) -> torch.Tensor:
    """NPID's memory update: ``normalize(m * row + (1 - m) * v)``.

    Args:
        rows (Tensor): ``B x D`` current memory rows.
        feats (Tensor): ``B x D`` the new embeddings of their images.
        momentum (float): ``m`` in ``[0, 1)``; 0 replaces the rows.

    Returns:
        Tensor: ``B x D`` unit rows.
    """
    if not 0 <= momentum < 1:
        raise ValueError(f'memory bank: momentum must be in [0, 1), got '
                         f'{momentum}')
    mixed = rows * momentum + feats.detach() * (1 - momentum)  # B x D
    return F.normalize(mixed, dim=1)
