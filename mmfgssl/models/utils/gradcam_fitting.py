# Copyright (c) OpenMMLab. All rights reserved.
"""Pure functions of LCR, the GradCAM fitting branch (GFB).

Shu, van den Hengel and Liu, "Learning Common Rationale to Improve
Self-Supervised Representation for Fine-Grained Visual Recognition
Problems", CVPR 2023, section 3.2:

- Eq. 3, :func:`ssl_gradcam` / :func:`gradcam_from_grad`: the GradCAM of the
  self-supervised loss, ``G_ij = ReLU(dL_CL/dphi_ij . phi_ij)`` (gradient
  times activation summed over channels at every position).
- Eq. 4, :func:`maxout`: ``A_ij = max_k w_k . phi_ij``.
- Eqs. 5-6, :func:`spatial_log_softmax` and :func:`gradcam_kl_div`: both maps
  softmax-normalised over the ``H x W`` positions with temperature ``tau``
  and compared by a KL divergence.
- Eq. 8, :func:`normalize_attention` and :func:`weighted_pool`: the
  min-max normalised prediction weights a sum of the feature vectors.

Where the authors' code (GANPerf/LCR) differs from the paper, an argument
selects the code's behaviour.
"""
import logging
from typing import Callable, List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.logging import print_log

from mmfgssl.utils.checks import check_choice

__all__ = [
    'gradcam_from_grad', 'ssl_gradcam', 'maxout', 'spatial_log_softmax',
    'gradcam_kl_div', 'normalize_attention', 'weighted_pool', 'gfb_pool',
    'check_kl_options', 'check_attention_norm', 'KL_DIRECTIONS',
    'SOFTMAX_DIMS', 'KL_REDUCTIONS', 'NORM_DENOMINATORS', 'CAM_GRAPHS'
]

KL_DIRECTIONS = ('A||G', 'G||A')
SOFTMAX_DIMS = ('hw', 'row')
KL_REDUCTIONS = ('mean', 'sum')
NORM_DENOMINATORS = ('max', 'range')
CAM_GRAPHS = ('detach', 'phi', 'full')
_KL_CHOICES = dict(
    direction=KL_DIRECTIONS, softmax_dim=SOFTMAX_DIMS, reduction=KL_REDUCTIONS)


def _key(owner: str, name: str) -> str:
    return f'{owner}.{name}' if owner else name


def check_kl_options(owner: str = '', **options) -> None:
    """The checks of the options of Eqs. 5-6, written once: the pure
    functions below run them on every call and ``GradCAMKLLoss`` when its
    config is built (so that a bad value fails then, not mid-training).

    Args:
        owner (str): Prefix of the names in the errors (the config key,
            e.g. ``'GradCAMKLLoss'``); empty for the bare argument names.
        **options: Any of ``tau`` (> 0), ``direction``, ``softmax_dim`` and
            ``reduction``; the ones not given are not checked.

    Raises:
        ValueError: Naming the option and its accepted values.
    """
    for name, value in options.items():
        if name == 'tau':
            if not value > 0:
                raise ValueError(f'{_key(owner, "tau")}: the temperature '
                                 f'must be > 0, got {value}')
        else:
            check_choice(_key(owner, name), value, _KL_CHOICES[name])


def check_attention_norm(owner: str, attention_norm: dict) -> None:
    """Check the keyword arguments of :func:`normalize_attention` that a
    config passes as ``attention_norm`` (keys and ``denominator``)."""
    unknown = set(attention_norm) - {'per_image', 'denominator', 'eps'}
    if unknown:
        raise ValueError(f'{owner}: unknown attention_norm keys '
                         f'{sorted(unknown)}')
    check_choice(f'{owner}.attention_norm.denominator',
                 attention_norm.get('denominator', 'max'), NORM_DENOMINATORS)


def gradcam_from_grad(grad: torch.Tensor, feat: torch.Tensor) -> torch.Tensor:
    """GradCAM from a feature map and the loss gradient w.r.t. it (Eq. 3).

    ``G_ij = ReLU(sum_c grad_cij * feat_cij)``: gradient times activation
    summed over the channels at each position, not the classic weighting by
    spatially pooled gradients.

    Args:
        grad (Tensor): ``B x C x H x W`` gradient of the loss w.r.t. ``feat``.
        feat (Tensor): ``B x C x H x W`` feature map.

    Returns:
        Tensor: ``B x H x W`` non-negative GradCAM.
    """
    if grad.shape != feat.shape or feat.dim() != 4:
        raise ValueError('grad and feat must both be B x C x H x W, got '
                         f'{tuple(grad.shape)} and {tuple(feat.shape)}')
    return F.relu((grad * feat).sum(dim=1))  # G: B x H x W


def ssl_gradcam(loss: torch.Tensor,
                feats: Sequence[torch.Tensor],
                graph: str = 'detach') -> List[torch.Tensor]:
    """GradCAM of a self-supervised loss w.r.t. feature maps (Eq. 3).

    Uses :func:`torch.autograd.grad` with the feature maps as the inputs, so
    autograd only walks the part of the graph between the loss and the maps
    (the neck and head), never the backbone that produced them, and no
    ``.grad`` of any parameter is touched. The graph is retained for the
    training backward that follows.

    Args:
        loss (Tensor): The scalar self-supervised loss ``L_CL``.
        feats (Sequence[Tensor]): ``B x C x H x W`` maps in the graph of
            ``loss`` (the last backbone stage of each view used).
        graph (str): What of ``G = ReLU(sum_c g * phi)`` stays
            differentiable (:data:`CAM_GRAPHS`):

            - ``'detach'``: nothing, ``G`` is a constant target (the paper
              fits ``A`` to ``G``);
            - ``'phi'``: ``G`` depends on ``phi`` through the product, the
              gradient ``g`` is a constant (the authors' code: their
              ``autograd.grad`` has no ``create_graph``, and their GradCAM is
              not detached);
            - ``'full'``: ``g`` too (``create_graph=True``: second-order
              terms through the neck and head, and a gradient into them).

            Defaults to ``'detach'``.

    Returns:
        list[Tensor]: One ``B x H x W`` GradCAM per feature map.
    """
    check_choice('graph', graph, CAM_GRAPHS)
    grads = torch.autograd.grad(
        loss,
        list(feats),
        retain_graph=True,
        create_graph=graph == 'full',
        allow_unused=True)
    cams = []
    for grad, feat in zip(grads, feats):
        if grad is None:  # the loss does not depend on this map
            grad = torch.zeros_like(feat)
        if graph == 'phi':
            grad = grad.detach()
        cam = gradcam_from_grad(grad, feat)  # B x H x W
        cams.append(cam.detach() if graph == 'detach' else cam)
    return cams


def maxout(x: torch.Tensor) -> torch.Tensor:
    """Max-out over the projection channels (Eq. 4).

    Args:
        x (Tensor): ``B x K x H x W`` responses of the K projections.

    Returns:
        Tensor: ``B x H x W``, the maximum over K at every position.
    """
    return x.max(dim=1).values  # A: B x H x W


def spatial_log_softmax(x: torch.Tensor,
                        tau: float = 0.4,
                        softmax_dim: str = 'hw') -> torch.Tensor:
    """Log of the softmax-normalised map of Eq. 5.

    Args:
        x (Tensor): ``B x H x W`` map.
        tau (float): Temperature (> 0). Defaults to 0.4 (paper).
        softmax_dim (str): ``'hw'`` normalises over all ``H x W`` positions
            (paper); ``'row'`` over the last axis only, each of the H rows on
            its own (the authors' MoCo code, which also uses ``tau = 1``).

    Returns:
        Tensor: ``B x H x W`` log-probabilities.
    """
    check_kl_options(tau=tau, softmax_dim=softmax_dim)
    if x.dim() != 3:
        raise ValueError(f'expected a B x H x W map, got {tuple(x.shape)}')
    if softmax_dim == 'row':
        return F.log_softmax(x / tau, dim=2)  # B x H x W
    b, h, w = x.shape
    flat = F.log_softmax(x.reshape(b, h * w) / tau, dim=1)  # B x HW
    return flat.reshape(b, h, w)


def gradcam_kl_div(pred: torch.Tensor,
                   cam: torch.Tensor,
                   tau: float = 0.4,
                   direction: str = 'A||G',
                   softmax_dim: str = 'hw',
                   reduction: str = 'mean') -> torch.Tensor:
    """KL divergence between the GFB prediction and the GradCAM (Eqs. 5-6).

    With ``Abar = softmax(A / tau)`` and ``Gbar = softmax(G / tau)`` over the
    positions, the paper's loss is ``sum_ij Abar log(Abar / Gbar)`` per image.

    Args:
        pred (Tensor): ``B x H x W`` GFB output ``A``.
        cam (Tensor): ``B x H x W`` GradCAM ``G`` (detach it beforehand for
            the paper's behaviour).
        tau (float): Temperature. Defaults to 0.4 (paper).
        direction (str): ``'A||G'``: ``KL(Abar || Gbar)`` (paper, Eq. 6);
            ``'G||A'``: ``KL(Gbar || Abar)`` (authors' code,
            ``kl_div(log Abar, Gbar)``).
        softmax_dim (str): See :func:`spatial_log_softmax`. With ``'row'``
            the per-image divergence is the sum over the rows.
        reduction (str): ``'mean'`` over the images (paper) or ``'sum'``
            (authors' code; grows with the batch size).

    Returns:
        Tensor: The scalar loss. Finite for any finite input, including an
        all-zero GradCAM (whose softmax is uniform).
    """
    check_kl_options(direction=direction, reduction=reduction)
    if pred.shape != cam.shape:
        raise ValueError(f'pred {tuple(pred.shape)} and cam '
                         f'{tuple(cam.shape)} differ in shape')
    log_a = spatial_log_softmax(pred, tau, softmax_dim)  # B x H x W
    log_g = spatial_log_softmax(cam, tau, softmax_dim)  # B x H x W
    if direction == 'A||G':
        log_p, log_q = log_a, log_g
    else:
        log_p, log_q = log_g, log_a
    # p * (log p - log q) with p = exp(log p): no log(0), no 0 / 0
    per_image = (log_p.exp() * (log_p - log_q)).flatten(1).sum(dim=1)  # B
    return per_image.mean() if reduction == 'mean' else per_image.sum()


def normalize_attention(attn: torch.Tensor,
                        eps: float = 1e-7,
                        per_image: bool = True,
                        denominator: str = 'max') -> torch.Tensor:
    """Min-max normalisation of the GFB prediction before pooling (Eq. 8).

    ``A' = (A - min A) / (eps + max A)`` as printed in the paper
    (``denominator='max'``), or the usual ``(A - min A) / (eps + max A -
    min A)`` (``denominator='range'``). The two agree when ``min A = 0``,
    which the ReLU of the default GFB makes common.

    Args:
        attn (Tensor): ``B x H x W`` prediction ``A``.
        eps (float): Defaults to 1e-7 (paper).
        per_image (bool): Take min and max per image (default). False takes
            them over the whole batch as the authors' code does, which makes
            an image's feature depend on the rest of its batch.
        denominator (str): ``'max'`` (paper) or ``'range'``.

    Returns:
        Tensor: ``B x H x W`` weights.
    """
    check_choice('denominator', denominator, NORM_DENOMINATORS)
    dims = (1, 2) if per_image else (0, 1, 2)
    low = attn.amin(dim=dims, keepdim=True)  # B x 1 x 1 (or 1 x 1 x 1)
    high = attn.amax(dim=dims, keepdim=True)
    scale = high - low if denominator == 'range' else high
    return (attn - low) / (eps + scale)  # A': B x H x W


def weighted_pool(feat: torch.Tensor,
                  weights: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Weighted sum pooling of a feature map (Eq. 8).

    ``f = sum_ij A'_ij phi_ij``. An image whose weights are all zero (a
    constant GFB map) would get a zero feature; it falls back to uniform
    weights ``1 / HW`` (global average pooling), and is reported in the
    returned mask so that callers can count and log it.

    Args:
        feat (Tensor): ``B x C x H x W`` feature map ``phi``.
        weights (Tensor): ``B x H x W`` weights ``A'``.

    Returns:
        tuple[Tensor, Tensor]: ``B x C`` pooled features and a ``B`` bool
        mask of the images that fell back to average pooling.
    """
    b, c, h, w = feat.shape
    if weights.shape != (b, h, w):
        raise ValueError(f'weights {tuple(weights.shape)} do not match the '
                         f'feature map {tuple(feat.shape)}')
    fallback = weights.flatten(1).abs().sum(dim=1) == 0  # B
    uniform = torch.full_like(weights, 1.0 / (h * w))  # B x H x W
    weights = torch.where(fallback[:, None, None], uniform, weights)
    pooled = torch.einsum('bchw,bhw->bc', feat, weights)  # f: B x C
    return pooled, fallback


def gfb_pool(gfb_head: Callable, feat: torch.Tensor, attention_norm: dict,
             owner) -> torch.Tensor:
    """LCR's inference feature (Eq. 8) from a GFB: ``A'`` the normalised
    GFB prediction (:func:`normalize_attention`), ``f = sum_ij A'_ij
    phi_ij`` (:func:`weighted_pool`). Used by the GFB algorithms'
    ``mode='tensor'`` and by the ``GFBWeightedPooling`` neck.

    Args:
        gfb_head (callable): The GFB, ``B x C x H x W -> B x H x W``.
        feat (Tensor): ``B x C x H x W`` last-stage map ``phi``.
        attention_norm (dict): Keyword arguments of
            :func:`normalize_attention`.
        owner: The module pooling: the images that fell back to average
            pooling are added to its ``num_pool_fallbacks`` and logged under
            its class name.

    Returns:
        Tensor: ``B x C`` pooled features.
    """
    attn = normalize_attention(gfb_head(feat), **attention_norm)  # A': BxHxW
    pooled, fallback = weighted_pool(feat, attn)  # f: B x C
    num = int(fallback.sum())
    if num:
        owner.num_pool_fallbacks += num
        print_log(
            f'{type(owner).__name__}: {num} image(s) with a constant GFB map '
            'were pooled by plain averaging (total so far: '
            f'{owner.num_pool_fallbacks})',
            logger='current',
            level=logging.WARNING)
    return pooled
