# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch
from mmpretrain.registry import MODELS

import mmfgssl  # noqa: F401  (registers the GFB)


def test_plain_eq4_head_matches_loops():
    torch.manual_seed(0)
    head = MODELS.build(
        dict(
            type='GFBHead',
            in_channels=6,
            num_projections=3,
            norm_cfg=None,
            with_relu=False))
    feat = torch.randn(2, 6, 3, 4)
    out = head(feat)
    assert out.shape == (2, 3, 4)
    w = head.conv.weight.detach()[:, :, 0, 0]  # K x C
    for b in range(2):
        for i in range(3):
            for j in range(4):
                want = max(
                    sum(
                        float(w[k, c]) * float(feat[b, c, i, j])
                        for c in range(6)) for k in range(3))
                assert float(out[b, i, j]) == pytest.approx(want, abs=1e-5)
    # no ReLU: a position where every projection is negative stays negative
    head.conv.weight.data.abs_()
    assert (head(-feat.abs()) < 0).all()


def test_default_head_is_the_codes_conv_bn_relu_maxout():
    head = MODELS.build(dict(type='GFBHead', in_channels=64))
    assert head.num_projections == 32
    assert head.conv.bias is None
    assert isinstance(head.norm, torch.nn.BatchNorm2d)
    out = head(torch.randn(4, 64, 5, 5))
    assert out.shape == (4, 5, 5) and (out >= 0).all()
    assert head.loss_module.loss_weight == 0.01
    assert head.loss_module.tau == 0.4


def test_head_loss_is_the_weighted_kl_of_its_prediction():
    head = MODELS.build(
        dict(
            type='GFBHead',
            in_channels=8,
            num_projections=4,
            loss=dict(type='GradCAMKLLoss', loss_weight=0.5)))
    feat, cam = torch.randn(2, 8, 3, 3), torch.rand(2, 3, 3)
    from mmfgssl.models.utils import gradcam_kl_div
    want = 0.5 * gradcam_kl_div(head(feat), cam)
    assert torch.allclose(head.loss(feat, cam), want)


def test_build_time_errors():
    with pytest.raises(ValueError, match='num_projections'):
        MODELS.build(dict(type='GFBHead', in_channels=16, num_projections=17))
    with pytest.raises(ValueError, match='tau'):
        MODELS.build(
            dict(
                type='GFBHead',
                in_channels=16,
                num_projections=4,
                loss=dict(type='GradCAMKLLoss', tau=0.0)))
    with pytest.raises(ValueError, match='direction'):
        MODELS.build(dict(type='GradCAMKLLoss', direction='KL'))
    head = MODELS.build(
        dict(type='GFBHead', in_channels=16, num_projections=4))
    with pytest.raises(ValueError, match='B x 16'):
        head(torch.randn(1, 8, 2, 2))
