# Copyright (c) OpenMMLab. All rights reserved.
from typing import Callable, Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmfgssl.utils.checks import check_choice
from ..utils.gradcam_fitting import (CAM_GRAPHS, check_attention_norm,
                                     gfb_pool, ssl_gradcam)

POOLINGS = ('avg', 'weighted')
GFB_INPUTS = ('detached', 'attached')
FIT_TARGETS = ('raw', 'normalized')
CAM_VIEWS = ('all', 'first')


class GFBMixin:
    """Adds LCR's GradCAM fitting branch to an mmpretrain self-supervisor.

    Shu et al., "Learning Common Rationale to Improve Self-Supervised
    Representation for Fine-Grained Visual Recognition Problems", CVPR 2023.
    The host algorithm (mmpretrain's ``MoCo``, ``BYOL``) is reused as is:
    its ``loss()`` runs unchanged while a forward hook on ``self.backbone``
    records the last-stage map ``phi`` of every online view. Then

    1. ``L_CL`` is the host's loss; the GradCAM ``G`` of Eq. 3 is
       ``ReLU(sum_c dL/dphi * phi)``, from :func:`torch.autograd.grad`
       w.r.t. ``phi``: a backward through the neck and head only. Eq. 3 is
       written for one image, so by default ``L`` is the sum of the
       per-image losses, ``B x L_CL`` (``cam_per_image_loss``). The one
       backward through the backbone is the optimizer's, of
       ``lambda * L_CL + nu * L_KL`` (Eq. 7).
    2. The GFB predicts ``A`` from ``phi`` (Eq. 4), and ``nu * L_KL``
       (Eqs. 5-6) fits it to ``G``. By default (``gfb_input='detached'``,
       ``cam_graph='detach'``) the GFB sees ``phi.detach()`` and ``G`` is a
       constant, so ``L_KL`` trains the GFB only. The paper does not say how
       gradients flow here (its "no cross-branch interaction" in section 3.3
       is about the pooling: the GFB-weighted feature is not used in
       training); the authors' code lets ``L_KL`` reach the backbone through
       the 1 x 1 convolution and through ``G``: ``gfb_input='attached'``,
       ``cam_graph='phi'``.
    3. At test time (``mode='tensor'``, :meth:`extract_feat`) the feature is
       ``sum_ij A'_ij phi_ij`` (Eq. 8), ``A'`` min-max normalised per image.

    Variants of the paper's Table 1 / 4 are switches: ``test_pooling='avg'``
    is "Ours-MultiTask" (GFB trained, not used at test), and
    ``train_pooling='weighted'`` is "Ours-DualPooling" (the GFB-weighted
    feature replaces global average pooling in training too, for the online
    and the momentum encoder; the paper reports that it collapses).

    Args:
        gfb_head (dict): Config of the :class:`GFBHead`.
        loss_cl_weight (float): ``lambda`` of Eq. 7. Defaults to 1.
        cam_graph (str): What of ``G`` stays differentiable, see
            :func:`~mmfgssl.models.utils.ssl_gradcam`: ``'detach'``
            (constant target), ``'phi'`` (the authors' code: through
            ``phi``, the gradient constant) or ``'full'`` (second order).
            Defaults to ``'detach'``.
        cam_per_image_loss (bool): Take ``G`` from the gradient of the sum
            of the per-image losses (``B x L_CL``, Eq. 3 per image) instead
            of the batch-mean ``L_CL`` that the authors' code differentiates
            (which shrinks ``G`` by ``1 / B``; the temperature softmax is not
            scale invariant, so that flattens the target). Defaults to True.
        cam_loss_scale (float): Factor on the loss whose GradCAM is taken.
            mmpretrain's BYOL loss, ``2 (-cos_12 - cos_21)``, is 4 x the
            authors' ``(-cos_12 - cos_21) / 2``, so 0.25 gives their
            GradCAM scale. Defaults to 1.
        cam_views (str): ``'all'`` online views are fitted, or only the
            ``'first'`` (the authors' BYOL code). Defaults to ``'all'``.
        gfb_input (str): ``'detached'`` or ``'attached'`` (the KL reaches the
            backbone through the GFB, the authors' code). Defaults to
            ``'detached'``.
        fit_target (str): Fit the raw prediction ``A`` (``'raw'``, Eq. 6) or
            its min-max normalised ``A'`` with ``attention_norm`` (the
            code's ``att_max``). Defaults to ``'raw'``.
        train_pooling (str): ``'avg'`` (paper) or ``'weighted'``
            (DualPooling). Defaults to ``'avg'``.
        test_pooling (str): ``'weighted'`` (paper, Eq. 8) or ``'avg'``
            (global average pooling; MultiTask). Defaults to ``'weighted'``.
        attention_norm (dict): Keyword arguments of
            :func:`normalize_attention`: ``per_image`` (True; False is the
            authors' batch-global min-max), ``denominator`` (``'max'`` as
            printed in Eq. 8, or ``'range'``; ``per_image=False,
            denominator='range'`` is exactly the authors' code), ``eps``
            (1e-7).
    """

    def __init__(self,
                 gfb_head: dict,
                 loss_cl_weight: float = 1.0,
                 cam_graph: str = 'detach',
                 cam_per_image_loss: bool = True,
                 cam_loss_scale: float = 1.0,
                 cam_views: str = 'all',
                 gfb_input: str = 'detached',
                 fit_target: str = 'raw',
                 train_pooling: str = 'avg',
                 test_pooling: str = 'weighted',
                 attention_norm: Optional[dict] = None,
                 **kwargs) -> None:
        owner = type(self).__name__
        attention_norm = dict(attention_norm or {})
        for name, value, allowed in (
            ('train_pooling', train_pooling, POOLINGS),
            ('test_pooling', test_pooling, POOLINGS),
            ('cam_graph', cam_graph, CAM_GRAPHS),
            ('cam_views', cam_views, CAM_VIEWS),
            ('gfb_input', gfb_input, GFB_INPUTS),
            ('fit_target', fit_target, FIT_TARGETS),
        ):
            check_choice(f'{owner}.{name}', value, allowed)
        if not cam_loss_scale > 0:
            raise ValueError(f'{owner}: cam_loss_scale must be > 0, got '
                             f'{cam_loss_scale}')
        check_attention_norm(owner, attention_norm)
        super().__init__(**kwargs)  # the host algorithm (MoCo, BYOL)
        self.gfb_head = MODELS.build(gfb_head)
        self.loss_cl_weight = loss_cl_weight
        self.cam_graph = cam_graph
        self.cam_per_image_loss = cam_per_image_loss
        self.cam_loss_scale = cam_loss_scale
        self.cam_views = cam_views
        self.gfb_input = gfb_input
        self.fit_target = fit_target
        self.train_pooling = train_pooling
        self.test_pooling = test_pooling
        self.attention_norm = attention_norm
        # images whose GFB map was constant, pooled by plain averaging
        self.num_pool_fallbacks = 0

    #: the attribute of the host's momentum / target encoder, an EMA
    #: wrapper of ``Sequential(backbone, neck)`` (``'target_net'`` in BYOL)
    momentum_encoder: str = ''

    def _momentum_backbone(self) -> nn.Module:
        """The backbone of the host's momentum / target encoder."""
        if not self.momentum_encoder:
            raise NotImplementedError(
                f'{type(self).__name__} must set momentum_encoder, the name '
                "of its host's momentum encoder attribute")
        return getattr(self, self.momentum_encoder).module[0]

    def gfb_pool(self, feat: torch.Tensor) -> torch.Tensor:
        """GFB-weighted pooling of Eq. 8.

        Args:
            feat (Tensor): ``B x C x H x W`` last-stage map.

        Returns:
            Tensor: ``B x C`` features ``f = sum_ij A'_ij phi_ij``.
        """
        return gfb_pool(self.gfb_head, feat, self.attention_norm, self)

    def extract_feat(self, inputs: Union[torch.Tensor, List[torch.Tensor]],
                     **kwargs) -> Tuple[torch.Tensor]:
        """The representation for linear probing and retrieval.

        Args:
            inputs (Tensor | list[Tensor]): ``B x 3 x H x W`` images (or a
                list of views, of which the first is used, as in
                mmpretrain's ``MoCo.extract_feat``).

        Returns:
            tuple[Tensor]: ``(f, )`` with ``f`` the ``B x C`` GFB-weighted
            feature (``test_pooling='weighted'``) or the globally averaged
            one (``'avg'``).
        """
        if isinstance(inputs, (list, tuple)):
            inputs = inputs[0]
        feat = self.backbone(inputs)[-1]  # phi: B x C x H x W
        if self.test_pooling == 'avg':
            return (feat.mean(dim=(2, 3)), )  # B x C
        return (self.gfb_pool(feat), )

    def _pool_hook(self, module: nn.Module, args: tuple,
                   outputs: Tuple[torch.Tensor]) -> Tuple[torch.Tensor]:
        """DualPooling: hand the neck the GFB-weighted feature as a
        ``B x C x 1 x 1`` map instead of the full map."""
        pooled = self.gfb_pool(outputs[-1])  # B x C
        return (*outputs[:-1], pooled[:, :, None, None])

    def gfb_loss(self, host_loss: Callable, inputs: List[torch.Tensor],
                 data_samples: List[DataSample],
                 **kwargs) -> Dict[str, torch.Tensor]:
        """Run the host's loss and add the GradCAM fitting loss.

        Args:
            host_loss (Callable): The host algorithm's ``loss`` (bound).
            inputs (list[Tensor]): The views.
            data_samples (list[DataSample]): The samples.

        Returns:
            dict[str, Tensor]: ``loss_cl`` (``lambda * L_CL``), ``loss_kl``
            (``nu * L_KL``, averaged over the online views) and
            ``cam_zero_ratio``, the fraction of all-zero GradCAMs (logged,
            not optimised).
        """
        feats = []  # phi of each online view, in call order

        def record(module, args, outputs):
            feats.append(outputs[-1])  # phi: B x C x H x W
            if self.train_pooling == 'weighted':
                return self._pool_hook(module, args, outputs)
            return None

        handles = [self.backbone.register_forward_hook(record)]
        if self.train_pooling == 'weighted':
            handles.append(self._momentum_backbone().register_forward_hook(
                self._pool_hook))
        try:
            losses = dict(host_loss(inputs, data_samples, **kwargs))
        finally:
            for handle in handles:
                handle.remove()
        if not feats:
            raise RuntimeError(f'{type(self).__name__}: the host loss never '
                               'called self.backbone')
        loss_cl = losses.pop('loss')
        if self.cam_views == 'first':
            feats = feats[:1]
        cam_source = self.cam_loss_scale * loss_cl
        if self.cam_per_image_loss:
            cam_source = cam_source * feats[0].size(0)  # sum over images
        cams = ssl_gradcam(cam_source, feats, self.cam_graph)  # B x H x W
        normalize = (
            self.attention_norm if self.fit_target == 'normalized' else None)
        loss_kl = sum(
            self.gfb_head.loss(
                feat.detach() if self.gfb_input == 'detached' else feat, cam,
                normalize) for feat, cam in zip(feats, cams)) / len(feats)
        zero = torch.stack([(cam.flatten(1).amax(dim=1) == 0).float().mean()
                            for cam in cams]).mean()
        losses.update(
            loss_cl=self.loss_cl_weight * loss_cl,
            loss_kl=loss_kl,
            cam_zero_ratio=zero.detach())
        return losses

    def _feature_step(self, data: dict) -> List[DataSample]:
        data = self.data_preprocessor(data, False)
        with torch.no_grad():
            feats = self.extract_feat(data['inputs'])[0]  # B x C
        samples = data.get('data_samples') or [
            DataSample() for _ in range(feats.size(0))
        ]
        for sample, feat in zip(samples, feats):
            sample.set_field(feat, 'pred_feat')
        return samples

    def val_step(self, data: dict) -> List[DataSample]:
        """Features for evaluation: each sample gets ``pred_feat``, its
        :meth:`extract_feat` vector (read by ``LeaveOneOutRetrieval``)."""
        return self._feature_step(data)

    def test_step(self, data: dict) -> List[DataSample]:
        """Same as :meth:`val_step`."""
        return self._feature_step(data)
