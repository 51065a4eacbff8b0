# Copyright (c) OpenMMLab. All rights reserved.
import math

import pytest
import torch
from mmpretrain.registry import MODELS

import mmfgssl  # noqa: F401
from mmfgssl.models import GradCAMKLLoss
from mmfgssl.models.utils import gradcam_kl_div


def test_code_switches_reproduce_the_authors_formula():
    """The code's loss, F.kl_div(log softmax_row(A), softmax_row(G), 'sum'),
    re-computed with loops."""
    loss = MODELS.build(
        dict(
            type='GradCAMKLLoss',
            tau=1.0,
            direction='G||A',
            softmax_dim='row',
            reduction='sum',
            loss_weight=1.0))
    pred, cam = torch.randn(2, 3, 4), torch.rand(2, 3, 4)
    want = 0.0
    for b in range(2):
        for i in range(3):
            za = sum(math.exp(float(pred[b, i, j])) for j in range(4))
            zg = sum(math.exp(float(cam[b, i, j])) for j in range(4))
            for j in range(4):
                a = math.exp(float(pred[b, i, j])) / za
                g = math.exp(float(cam[b, i, j])) / zg
                want += g * (math.log(g) - math.log(a))
    assert float(loss(pred, cam)) == pytest.approx(want, rel=1e-5)


def test_weight_scales_and_mean_does_not_grow_with_batch():
    pred, cam = torch.randn(1, 3, 3), torch.rand(1, 3, 3)
    one = MODELS.build(dict(type='GradCAMKLLoss', loss_weight=1.0))
    nu = MODELS.build(dict(type='GradCAMKLLoss'))  # nu = 0.01
    assert float(nu(pred, cam)) == pytest.approx(0.01 * float(one(pred, cam)))
    big_p, big_c = pred.repeat(4, 1, 1), cam.repeat(4, 1, 1)
    assert float(one(big_p, big_c)) == pytest.approx(float(one(pred, cam)))
    total = MODELS.build(
        dict(type='GradCAMKLLoss', loss_weight=1.0, reduction='sum'))
    assert float(total(big_p, big_c)) == pytest.approx(
        4 * float(one(pred, cam)), rel=1e-5)


@pytest.mark.parametrize('option, value', [('tau', 0.0), ('tau', -1.0),
                                           ('direction', 'KL'),
                                           ('softmax_dim', 'col'),
                                           ('reduction', 'max')])
def test_bad_options_fail_at_build_naming_the_config_key(option, value):
    # the same rule as the pure function's, named by its config key
    with pytest.raises(ValueError, match=rf'^GradCAMKLLoss\.{option}'):
        GradCAMKLLoss(**{option: value})
    with pytest.raises(ValueError, match=rf'^{option}'):
        gradcam_kl_div(
            torch.zeros(1, 2, 2), torch.zeros(1, 2, 2), **{option: value})
