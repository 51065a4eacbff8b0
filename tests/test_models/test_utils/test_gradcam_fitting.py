# Copyright (c) OpenMMLab. All rights reserved.
"""The LCR math against slow, independent re-computations."""
import math

import pytest
import torch
import torch.nn as nn

from mmfgssl.models.utils import (gradcam_from_grad, gradcam_kl_div, maxout,
                                  normalize_attention, spatial_log_softmax,
                                  ssl_gradcam, weighted_pool)


def small_head(c=5):
    """A neck-and-loss stand-in: pooled features through an MLP."""
    torch.manual_seed(3)
    return nn.Sequential(
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 7), nn.Tanh(),
        nn.Linear(7, 3))


def head_loss(head, feat):
    out = head(feat)  # B x 3
    return (out**2).sum() + out[:, 0].sum()


def test_gradcam_from_grad_matches_loops():
    g = torch.Generator().manual_seed(0)
    grad = torch.randn(2, 4, 3, 5, generator=g)
    feat = torch.randn(2, 4, 3, 5, generator=g)
    got = gradcam_from_grad(grad, feat)
    assert got.shape == (2, 3, 5)
    for b in range(2):
        for i in range(3):
            for j in range(5):
                s = sum(
                    float(grad[b, c, i, j]) * float(feat[b, c, i, j])
                    for c in range(4))
                assert float(got[b, i, j]) == pytest.approx(
                    max(0.0, s), abs=1e-5)
    assert (got == 0).any() and (got > 0).any()  # the ReLU did something


def test_ssl_gradcam_matches_independent_autograd():
    head = small_head()
    g = torch.Generator().manual_seed(1)
    base = torch.randn(2, 5, 3, 4, generator=g)
    feat = base.clone().requires_grad_()
    cams = ssl_gradcam(head_loss(head, feat), [feat])
    assert len(cams) == 1 and cams[0].shape == (2, 3, 4)
    assert not cams[0].requires_grad
    # no parameter gradient was accumulated by the GradCAM computation
    assert all(p.grad is None for p in head.parameters())

    # independent: one backward per position, gradient of that position's
    # feature vector only, combined with explicit loops
    for b in range(2):
        for i in range(3):
            for j in range(4):
                vec = base[b, :, i, j].clone().requires_grad_()
                rest = base.clone()
                mask = torch.zeros_like(rest)
                mask[b, :, i, j] = 1
                full = rest * (1 - mask) + mask * vec[None, :, None, None]
                head_loss(head, full).backward()
                s = sum(
                    float(vec.grad[c]) * float(base[b, c, i, j])
                    for c in range(5))
                assert float(cams[0][b, i, j]) == pytest.approx(
                    max(0.0, s), rel=1e-4, abs=1e-6)


def test_ssl_gradcam_does_not_backprop_through_the_producer():
    torch.manual_seed(0)
    backbone = nn.Conv2d(3, 5, 3, padding=1)
    calls = []  # one entry per gradient computed for the producer's weight
    backbone.weight.register_hook(lambda grad: calls.append(1))
    head = small_head()
    feat = backbone(torch.randn(2, 3, 4, 4, requires_grad=True))
    loss = head_loss(head, feat)
    ssl_gradcam(loss, [feat])
    assert calls == []  # only the head was walked
    assert backbone.weight.grad is None
    loss.backward()  # the graph was retained for the training backward
    assert calls == [1] and backbone.weight.grad is not None


def test_ssl_gradcam_graph_modes_against_analytic_gradients():
    """L = sum(phi^3) / 3: the gradient is g = phi^2, G = ReLU(sum_c g phi).
    d(sum G)/dphi is 0 for 'detach', g = phi^2 (g held constant, the
    authors' code) for 'phi', and 3 phi^2 (g differentiated too) for 'full',
    at the positions where G > 0."""
    torch.manual_seed(0)
    base = torch.randn(2, 5, 3, 3, dtype=torch.float64)
    for graph, factor in (('phi', 1.), ('full', 3.)):
        feat = base.clone().requires_grad_()
        cam = ssl_gradcam((feat**3).sum() / 3, [feat], graph=graph)[0]
        assert cam.requires_grad
        cam.sum().backward()
        positive = ((base**3).sum(1, keepdim=True) > 0).double()
        want = factor * base**2 * positive  # B x C x H x W
        torch.testing.assert_close(feat.grad, want)
        assert positive.sum() > 0 and (1 - positive).sum() > 0
    feat = base.clone().requires_grad_()
    cam = ssl_gradcam((feat**3).sum() / 3, [feat], graph='detach')[0]
    assert not cam.requires_grad
    torch.testing.assert_close(cam, torch.relu((base**3).sum(1)))
    with pytest.raises(ValueError, match='graph'):
        ssl_gradcam((feat**3).sum(), [feat], graph='create')


def test_maxout_matches_loops():
    x = torch.randn(2, 6, 3, 4)
    got = maxout(x)
    for b in range(2):
        for i in range(3):
            for j in range(4):
                assert float(got[b, i, j]) == max(
                    float(x[b, k, i, j]) for k in range(6))


def slow_kl(pred, cam, tau, direction, softmax_dim, reduction):
    """Eqs. 5-6 with explicit loops and math.exp / math.log."""
    total = []
    b, h, w = pred.shape
    for n in range(b):
        if softmax_dim == 'hw':
            groups = [[(i, j) for i in range(h) for j in range(w)]]
        else:
            groups = [[(i, j) for j in range(w)] for i in range(h)]
        kl = 0.0
        for pos in groups:
            za = sum(math.exp(float(pred[n, i, j]) / tau) for i, j in pos)
            zg = sum(math.exp(float(cam[n, i, j]) / tau) for i, j in pos)
            for i, j in pos:
                a = math.exp(float(pred[n, i, j]) / tau) / za
                g = math.exp(float(cam[n, i, j]) / tau) / zg
                p, q = (a, g) if direction == 'A||G' else (g, a)
                kl += p * math.log(p / q)
        total.append(kl)
    return sum(total) / b if reduction == 'mean' else sum(total)


@pytest.mark.parametrize('direction', ['A||G', 'G||A'])
@pytest.mark.parametrize('softmax_dim,tau,reduction', [('hw', 0.4, 'mean'),
                                                       ('row', 1.0, 'sum'),
                                                       ('hw', 2.0, 'sum')])
def test_kl_matches_direct_formula(direction, softmax_dim, tau, reduction):
    g = torch.Generator().manual_seed(2)
    pred = torch.randn(3, 4, 5, generator=g)
    cam = torch.rand(3, 4, 5, generator=g) * 2
    got = gradcam_kl_div(pred, cam, tau, direction, softmax_dim, reduction)
    assert float(got) == pytest.approx(
        slow_kl(pred, cam, tau, direction, softmax_dim, reduction), rel=1e-5)


def test_kl_directions_differ_and_vanish_on_equal_maps():
    pred = torch.randn(2, 3, 3)
    cam = torch.rand(2, 3, 3) * 3
    assert float(gradcam_kl_div(pred, cam, direction='A||G')) != \
        pytest.approx(float(gradcam_kl_div(pred, cam, direction='G||A')))
    assert float(gradcam_kl_div(cam, cam)) == pytest.approx(0, abs=1e-6)


def test_all_zero_gradcam_gives_finite_loss_and_gradients():
    # ReLU killed every position: G == 0 everywhere
    pred = torch.randn(2, 7, 7, requires_grad=True)
    cam = torch.zeros(2, 7, 7)
    for direction in ('A||G', 'G||A'):
        for softmax_dim in ('hw', 'row'):
            loss = gradcam_kl_div(
                pred, cam, direction=direction, softmax_dim=softmax_dim)
            assert torch.isfinite(loss)
            (grad, ) = torch.autograd.grad(loss, pred)
            assert torch.isfinite(grad).all()
    # both maps all zero: identical uniform distributions, zero loss
    assert float(gradcam_kl_div(torch.zeros(1, 3, 3), cam[:1, :3, :3])) == 0
    # extreme values do not overflow either
    big = gradcam_kl_div(
        torch.full((1, 2, 2), 1e4), torch.tensor([[[1e4, 0.], [0., 0.]]]))
    assert torch.isfinite(big)


@pytest.mark.parametrize('tau', [0, -0.4])
def test_non_positive_tau_is_an_error(tau):
    with pytest.raises(ValueError, match='tau'):
        spatial_log_softmax(torch.zeros(1, 2, 2), tau=tau)


def test_bad_switch_values_are_errors():
    x = torch.zeros(1, 2, 2)
    with pytest.raises(ValueError, match='direction'):
        gradcam_kl_div(x, x, direction='AG')
    with pytest.raises(ValueError, match='reduction'):
        gradcam_kl_div(x, x, reduction='batchmean')
    with pytest.raises(ValueError, match='softmax_dim'):
        gradcam_kl_div(x, x, softmax_dim='col')
    with pytest.raises(ValueError, match='denominator'):
        normalize_attention(x, denominator='min')


@pytest.mark.parametrize('per_image', [True, False])
@pytest.mark.parametrize('denominator', ['max', 'range'])
def test_normalize_attention_matches_loops(per_image, denominator):
    attn = torch.rand(3, 2, 4) * 5 + torch.tensor([0., 1., 3.])[:, None, None]
    got = normalize_attention(
        attn, per_image=per_image, denominator=denominator)
    for b in range(3):
        vals = [float(v) for v in (attn[b] if per_image else attn).flatten()]
        lo, hi = min(vals), max(vals)
        scale = hi - lo if denominator == 'range' else hi
        for i in range(2):
            for j in range(4):
                want = (float(attn[b, i, j]) - lo) / (1e-7 + scale)
                assert float(got[b, i, j]) == pytest.approx(want, rel=1e-5)
    if per_image:  # every image reaches 0; 'range' also reaches 1
        assert torch.allclose(got.amin(dim=(1, 2)), torch.zeros(3))
        if denominator == 'range':
            assert torch.allclose(got.amax(dim=(1, 2)), torch.ones(3))


def test_batch_global_normalisation_couples_images_per_image_does_not():
    attn = torch.rand(2, 3, 3)
    other = attn.clone()
    other[1] *= 10  # change the second image only
    same = normalize_attention(attn)[0], normalize_attention(other)[0]
    assert torch.equal(*same)
    glob = (normalize_attention(attn, per_image=False)[0],
            normalize_attention(other, per_image=False)[0])
    assert not torch.allclose(*glob)


def test_weighted_pool_matches_loops_and_falls_back_on_zero_weights():
    g = torch.Generator().manual_seed(4)
    feat = torch.randn(3, 4, 2, 3, generator=g)
    weights = torch.rand(3, 2, 3, generator=g)
    weights[2] = 0  # a constant GFB map normalises to all zero
    pooled, fallback = weighted_pool(feat, weights)
    assert pooled.shape == (3, 4)
    assert fallback.tolist() == [False, False, True]
    for b in range(3):
        for c in range(4):
            if b < 2:
                want = sum(
                    float(weights[b, i, j]) * float(feat[b, c, i, j])
                    for i in range(2) for j in range(3))
            else:  # average pooling
                want = sum(
                    float(feat[b, c, i, j]) for i in range(2)
                    for j in range(3)) / 6
            assert float(pooled[b, c]) == pytest.approx(want, abs=1e-5)
    with pytest.raises(ValueError, match='weights'):
        weighted_pool(feat, weights[:, :1])
