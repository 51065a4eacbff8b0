# Copyright (c) OpenMMLab. All rights reserved.
"""Where a self-supervised checkpoint looks: activation, GradCAM of the SSL
loss (LCR, CVPR 2023, Eq. 3), GFB attention (LCR Eq. 4, 8) and CVSA
correspondence (Align Yourself, AAAI 2022, Eqs. 3-4) maps."""
import copy
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config

from ..models.utils.cam import activation_cam
from ..models.utils.gradcam_fitting import normalize_attention, ssl_gradcam

__all__ = [
    'load_ssl_model', 'preprocess_image', 'activation_heatmap',
    'ssl_loss_gradcam', 'gfb_attention', 'cvsa_correspondence'
]


def load_ssl_model(cfg: Config, checkpoint: Optional[str]):
    """Build a config's model (SyncBN -> BN) and load a checkpoint.

    Args:
        cfg (Config): The pre-training config.
        checkpoint (str, optional): Its checkpoint (none: random init).

    Returns:
        nn.Module: The model in eval mode.
    """
    from mmpretrain.apis import get_model

    from ..utils import replace_sync_bn
    cfg = copy.deepcopy(cfg)
    replace_sync_bn(cfg.model)
    model = get_model(cfg, pretrained=checkpoint or False, device='cpu')
    if not checkpoint:
        model.init_weights()  # the config's init_cfg, as a training run's
    return model.eval()


def preprocess_image(model, img_bgr: np.ndarray) -> torch.Tensor:
    """A ``1 x 3 x H x W`` float input normalised as the model's
    data preprocessor does (mean / std, BGR -> RGB when it converts)."""
    pre = model.data_preprocessor
    img = torch.from_numpy(np.ascontiguousarray(img_bgr)).permute(
        2, 0, 1).float()  # 3 x H x W
    if getattr(pre, '_channel_conversion', False):
        img = img[[2, 1, 0]]
    mean = pre.mean.reshape(3, 1, 1).float()
    std = pre.std.reshape(3, 1, 1).float()
    return ((img - mean) / std)[None]  # 1 x 3 x H x W


def _to_image(maps: torch.Tensor, size) -> np.ndarray:
    """``B x h x w`` maps -> min-max normalised ``B x H x W`` numpy."""
    maps = F.interpolate(
        maps[:, None].float(), size, mode='bilinear',
        align_corners=False)[:, 0]  # B x H x W
    low = maps.flatten(1).min(1)[0][:, None, None]
    high = maps.flatten(1).max(1)[0][:, None, None]
    return ((maps - low) / (high - low).clamp_min(1e-12)).numpy()


@torch.no_grad()
def activation_heatmap(model, inputs: torch.Tensor) -> np.ndarray:
    """Channel-summed last-stage activation, min-max normalised, at the
    input size. Returns ``B x H x W`` in [0, 1]."""
    fmap = model.backbone(inputs)[-1]  # B x C x h x w
    return _to_image(activation_cam(fmap), inputs.shape[-2:])


def ssl_loss_gradcam(model, views: List[torch.Tensor]) -> np.ndarray:
    """GradCAM of the model's self-supervised loss w.r.t. the last-stage map
    of the first view (LCR Eq. 3: ``ReLU(sum_c dL/dphi_c * phi_c)``).

    Runs ``model.loss(views, data_samples)`` once (mmpretrain's BYOL / MoCo,
    the GFB algorithms); the online backbone's first output is the first
    view's map. The contrastive term is ``loss_cl`` when the model logs one,
    else ``loss``. The model's momentum state may change (an EMA step, a
    queue update): use a model built for the picture.

    Args:
        model: A self-supervisor with ``backbone`` and ``loss``.
        views (list[Tensor]): ``[B x 3 x H x W] * 2``, preprocessed.

    Returns:
        np.ndarray: ``B x H x W`` in [0, 1] (all zero if the GradCAM is).
    """
    from mmengine.logging import MessageHub
    from mmpretrain.structures import DataSample
    hub = MessageHub.get_current_instance()
    if hub.get_info('max_iters') is None:  # BYOL's cosine EMA reads these
        hub.update_info('iter', 0)
        hub.update_info('max_iters', 1)
    maps = []

    def record(module, args, outputs):
        maps.append(outputs[-1])

    handle = model.backbone.register_forward_hook(record)
    try:
        with torch.enable_grad():
            samples = [DataSample() for _ in range(views[0].size(0))]
            losses = model.loss(views, samples)
            key = 'loss_cl' if 'loss_cl' in losses else 'loss'
            if key not in losses:
                raise KeyError(f'{type(model).__name__}.loss gave no "loss" '
                               f'or "loss_cl" (got {sorted(losses)})')
            cam = ssl_gradcam(losses[key], [maps[0]])[0]  # B x h x w
    finally:
        handle.remove()
    return _to_image(cam.detach(), views[0].shape[-2:])


@torch.no_grad()
def gfb_attention(model, inputs: torch.Tensor) -> Optional[np.ndarray]:
    """The GFB's normalised attention ``A'`` (LCR Eq. 4 and 8) at the input
    size, or None when the model has no ``gfb_head``."""
    if not hasattr(model, 'gfb_head'):
        return None
    fmap = model.backbone(inputs)[-1]  # B x C x h x w
    attn = normalize_attention(
        model.gfb_head(fmap), **getattr(model, 'attention_norm',
                                        {}))  # B x h x w
    return _to_image(attn, inputs.shape[-2:])


@torch.no_grad()
def cvsa_correspondence(model,
                        inputs: torch.Tensor,
                        second: torch.Tensor,
                        upsample: bool = True) -> Optional[np.ndarray]:
    """The CVSA correspondence map ``C_qk`` of view q = ``inputs`` against
    view k = ``second`` (Align Yourself, AAAI 2022, Eqs. 3-4), or None when
    the model has no ``align_head`` (not a CVSA checkpoint).

    The map is :meth:`CVSA.correspondence` at the deepest level of
    ``align_stages``, computed as in training. ``C`` is a sigmoid, so the
    map is NOT min-max normalised: its values are in (0, 1) (1.0 where the
    float32 sigmoid saturates, e.g. with the paper's dot product).

    Args:
        model (CVSA): The model.
        inputs (torch.Tensor): ``B x 3 x H x W`` view q, preprocessed.
        second (torch.Tensor): ``B x 3 x H' x W'`` view k, preprocessed.
        upsample (bool): Bilinear upsampling to the size of ``inputs``
            (else the feature-map size). Defaults to True.

    Returns:
        np.ndarray: ``B x H x W`` (or ``B x h x w``) float32 in (0, 1].
    """
    if not hasattr(model, 'align_head'):
        return None
    corr = model.correspondence(inputs, second)[-1]  # corr: B x h x w
    if upsample:
        corr = F.interpolate(
            corr[:, None],
            inputs.shape[-2:],
            mode='bilinear',
            align_corners=False)[:, 0]  # corr: B x H x W
    return corr.float().numpy()
