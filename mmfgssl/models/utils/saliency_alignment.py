# Copyright (c) OpenMMLab. All rights reserved.
"""The equations of cross-view saliency alignment (CVSA, Align Yourself,
AAAI 2022, Sec. 4.2), as pure functions.

Notation: B batch, C channels, ``HWq`` / ``HWk`` positions of the feature
maps of views q and k.
"""
from typing import Sequence

import torch
import torch.nn.functional as F

from mmfgssl.utils.checks import check_choice

__all__ = [
    'ATTENTION_MODES', 'ALIGN_REDUCTIONS', 'alignment_loss', 'correspondence',
    'cross_view_attention', 'downsample_mask'
]

ATTENTION_MODES = ('dot', 'scaled', 'cosine')
ALIGN_REDUCTIONS = ('sum', 'mean')


def cross_view_attention(pred_q: torch.Tensor,
                         proj_k: torch.Tensor,
                         mode: str = 'dot') -> torch.Tensor:
    """Cross-view attention, CVSA Eq. 3: ``A_qk = p_conv(h_q) h_k^T``.

    Entry ``(i, j)`` compares position ``i`` of the online prediction of
    view q with position ``j`` of the (target) projection of view k:

    - ``'dot'``: the dot product, Eq. 3 as written;
    - ``'scaled'``: the dot product over ``sqrt(C)``, as in scaled
      dot-product attention (not in the paper);
    - ``'cosine'``: the cosine similarity, both L2-normalised along C first
      (not in the paper).

    Args:
        pred_q (torch.Tensor): ``B x C x Hq x Wq``, ``p_conv(h_q,conv)``.
        proj_k (torch.Tensor): ``B x C x Hk x Wk``, ``h_k,conv``.
        mode (str): One of :data:`ATTENTION_MODES`. Defaults to 'dot'.

    Returns:
        torch.Tensor: ``B x HWq x HWk`` attention map.
    """
    check_choice('attention mode', mode, ATTENTION_MODES)
    if pred_q.dim() != 4 or proj_k.dim() != 4 or \
            pred_q.shape[:2] != proj_k.shape[:2]:
        raise ValueError(f'Expected B x C x H x W maps with the same B and C,'
                         f' got {tuple(pred_q.shape)} and '
                         f'{tuple(proj_k.shape)}')
    q = pred_q.flatten(2)  # q: B x C x HWq
    k = proj_k.flatten(2)  # k: B x C x HWk
    if mode == 'cosine':
        q = F.normalize(q, dim=1)  # q: B x C x HWq
        k = F.normalize(k, dim=1)  # k: B x C x HWk
    attn = torch.bmm(q.transpose(1, 2), k)  # attn: B x HWq x HWk
    if mode == 'scaled':
        attn = attn / q.shape[1]**0.5  # attn: B x HWq x HWk
    return attn


def correspondence(attn: torch.Tensor) -> torch.Tensor:
    """Correspondence intensity, CVSA Eq. 4: ``C_qk = max_k sigmoid(A_qk)``.

    The max runs over the second (view-k) axis. Sigmoid is increasing, so
    ``max(sigmoid(A)) = sigmoid(max(A))``: computed that way, with the same
    value and gradient, in ``B x HWq`` sigmoids instead of ``B x HWq x
    HWk``.

    Args:
        attn (torch.Tensor): ``B x HWq x HWk`` attention map.

    Returns:
        torch.Tensor: ``B x HWq`` correspondence in (0, 1).
    """
    return torch.sigmoid(attn.max(dim=2).values)  # corr: B x HWq


def downsample_mask(mask: torch.Tensor,
                    size: Sequence[int],
                    antialias: bool = True) -> torch.Tensor:
    """The bilinear downsampling ``delta^l`` of CVSA Eq. 5.

    Args:
        mask (torch.Tensor): ``B x H x W`` saliency masks (0/1).
        size (Sequence[int]): ``(h, w)`` of the feature map.
        antialias (bool): Bilinear with antialiasing (every pixel of the mask
            contributes, so a cell gets the covered fraction) or plain
            bilinear sampling (torch's ``antialias=False``, which reads 4
            pixels per cell). Defaults to True.

    Returns:
        torch.Tensor: ``B x h x w`` float masks in [0, 1].
    """
    mask = mask.float().unsqueeze(1)  # mask: B x 1 x H x W
    out = F.interpolate(
        mask,
        size=tuple(size),
        mode='bilinear',
        align_corners=False,
        antialias=antialias)  # out: B x 1 x h x w
    return out.squeeze(1).clamp(0, 1)  # out: B x h x w


def alignment_loss(corr: torch.Tensor,
                   mask: torch.Tensor,
                   reduction: str = 'sum') -> torch.Tensor:
    """One term of CVSA Eq. 5: ``|| delta(M_q) - C_qk ||^2``, batch mean.

    Args:
        corr (torch.Tensor): ``B x HW`` correspondence ``C_qk``.
        mask (torch.Tensor): ``B x h x w`` (or ``B x HW``) downsampled mask
            ``delta(M_q)`` with ``h * w = HW``.
        reduction (str): Over the positions of one sample: ``'sum'``, the
            squared L2 norm of Eq. 5, or ``'mean'`` (divided by HW).
            The batch is always averaged. Defaults to 'sum'.

    Returns:
        torch.Tensor: Scalar loss.
    """
    check_choice('reduction', reduction, ALIGN_REDUCTIONS)
    target = mask.reshape(mask.shape[0], -1).to(corr.dtype)  # B x HW
    if target.shape != corr.shape:
        raise ValueError(f'Mask of {tuple(mask.shape)} does not match the '
                         f'correspondence of {tuple(corr.shape)}')
    sq = (target - corr).pow(2)  # sq: B x HW
    if reduction == 'sum':
        per_sample = sq.sum(1)  # B
    else:
        per_sample = sq.mean(1)  # B
    return per_sample.mean()
