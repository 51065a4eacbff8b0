# Copyright (c) OpenMMLab. All rights reserved.
"""MoCo v2 + GFB and BYOL + GFB (LCR): the GradCAM computed inside the
training step, where the gradients go, and the Eq. 8 inference feature."""
import copy

import pytest
import torch
from gfb_models import GFB, build, byol_cfg, moco_cfg, views
from mmpretrain.models import BYOL, MoCo
from mmpretrain.registry import MODELS

import mmfgssl  # noqa: F401


def grads(module):
    return [
        p.grad.clone() if p.grad is not None else None
        for p in module.parameters()
    ]


def nonzero(grad_list):
    return any(g is not None and g.abs().sum() > 0 for g in grad_list)


@pytest.mark.parametrize(
    'cfg_fn,host', [(moco_cfg, MoCo), (byol_cfg, BYOL)], ids=['moco', 'byol'])
@pytest.mark.parametrize('per_image', [True, False])
def test_gradcam_in_the_step_matches_an_independent_backward(
        cfg_fn, host, per_image):
    """Eq. 3 per image (default): G of the sum of the B per-image losses,
    i.e. of B x the batch mean; False: of the batch mean (authors' code)."""
    model = build(cfg_fn(cam_per_image_loss=per_image))
    twin = copy.deepcopy(model)
    inputs = views()

    captured = []
    loss_module = model.gfb_head.loss_module
    original = loss_module.forward
    loss_module.forward = lambda pred, cam: (captured.append(cam),
                                             original(pred, cam))[1]
    torch.manual_seed(5)  # MoCo shuffles the key batch
    losses = model.loss(inputs, None)
    n_views = 1 if host is MoCo else 2
    assert len(captured) == n_views

    # independent: the twin runs the host's own loss with each online map
    # replaced by a leaf tensor, then one ordinary backward
    leaves = []

    def leaf_hook(module, args, outputs):
        leaf = outputs[-1].detach().requires_grad_()
        leaves.append(leaf)
        return (*outputs[:-1], leaf)

    twin.backbone.register_forward_hook(leaf_hook)
    torch.manual_seed(5)
    host_losses = host.loss(twin, inputs, None)
    assert torch.allclose(host_losses['loss'], losses['loss_cl'])
    batch = inputs[0].size(0)
    (host_losses['loss'] * (batch if per_image else 1)).backward()
    for leaf, cam in zip(leaves, captured):
        want = torch.relu((leaf.grad * leaf).sum(dim=1))  # B x H x W
        assert cam.shape == (4, 4, 4)
        assert torch.allclose(cam, want, rtol=1e-4, atol=1e-9)
        assert cam.abs().sum() > 0


@pytest.mark.parametrize('cfg_fn', [moco_cfg, byol_cfg], ids=['moco', 'byol'])
def test_one_backward_through_the_backbone_per_step(cfg_fn):
    model = build(cfg_fn())
    calls = []
    model.backbone.conv1.weight.register_hook(lambda g: calls.append(1))
    losses = model.loss(views(), None)
    assert calls == []  # the GradCAM walked the neck and head only
    assert set(losses) == {'loss_cl', 'loss_kl', 'cam_zero_ratio'}
    assert all(torch.isfinite(v) for v in losses.values())
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    assert calls == [1]


@pytest.mark.parametrize('cfg_fn', [moco_cfg, byol_cfg], ids=['moco', 'byol'])
def test_gfb_learns_only_from_kl_and_feeds_nothing_back(cfg_fn):
    model = build(cfg_fn())
    losses = model.loss(views(), None)
    losses['loss_cl'].backward(retain_graph=True)
    assert not nonzero(grads(model.gfb_head))
    backbone_from_cl = grads(model.backbone)
    assert nonzero(backbone_from_cl)

    model.zero_grad()
    losses['loss_kl'].backward()
    assert nonzero(grads(model.gfb_head))
    # paper: no gradient reaches the backbone through the GFB path
    assert not nonzero(grads(model.backbone))
    assert not nonzero(grads(model.neck))


@pytest.mark.parametrize(
    'kwargs,backbone,neck',
    [
        # the authors' code: G through phi (gradient constant), GFB on phi
        (dict(cam_graph='phi'), True, False),
        (dict(gfb_input='attached'), True, False),
        # second order: the gradient term reaches the neck too
        (dict(cam_graph='full'), True, True),
    ])
def test_kl_reaches_the_backbone_only_where_switched_on(
        kwargs, backbone, neck):
    model = build(moco_cfg(**kwargs))
    losses = model.loss(views(), None)
    losses['loss_kl'].backward()
    assert nonzero(grads(model.gfb_head))
    assert nonzero(grads(model.backbone)) == backbone
    assert nonzero(grads(model.neck)) == neck


AUTHORS_MOCO = dict(
    cam_graph='phi',
    cam_per_image_loss=False,
    gfb_input='attached',
    fit_target='normalized',
    attention_norm=dict(per_image=False, denominator='range'),
    gfb_head=dict(
        GFB,
        loss=dict(
            type='GradCAMKLLoss',
            direction='G||A',
            softmax_dim='row',
            tau=1.0,
            reduction='sum')))


def test_authors_code_switches_train_two_steps():
    """All of the authors' MoCo switches together: two optimizer steps,
    finite losses, and the KL moves the backbone."""
    model = build(moco_cfg(**AUTHORS_MOCO))
    optim = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(2):
        optim.zero_grad()
        losses = model.loss(views(seed=step), None)
        assert all(torch.isfinite(v) for v in losses.values())
        losses['loss_kl'].backward(retain_graph=True)
        assert nonzero(grads(model.backbone))
        (losses['loss_cl']).backward()
        optim.step()


def spy_cams(model):
    seen = []
    module = model.gfb_head.loss_module
    original = module.forward
    module.forward = lambda pred, cam: (seen.append(
        (pred, cam)), original(pred, cam))[1]
    return seen


def test_cam_views_and_cam_loss_scale():
    """cam_views='first' fits view 1 only (the authors' BYOL code);
    cam_loss_scale scales G (ReLU is positively homogeneous)."""
    fitted = {}
    for kwargs in (dict(), dict(cam_views='first'), dict(cam_loss_scale=0.25)):
        model = build(byol_cfg(**kwargs))
        seen = spy_cams(model)
        torch.manual_seed(5)
        losses = model.loss(views(), None)
        fitted[tuple(kwargs)] = (seen, losses)
    assert len(fitted[()][0]) == 2
    assert len(fitted[('cam_views', )][0]) == 1
    cam_all, cam_first = fitted[()][0][0][1], fitted[('cam_views', )][0][0][1]
    torch.testing.assert_close(cam_first, cam_all)
    torch.testing.assert_close(fitted[('cam_loss_scale', )][0][0][1],
                               0.25 * cam_all)
    # loss_kl is the mean over the fitted views
    module = build(byol_cfg()).gfb_head.loss_module
    want = sum(module(p, c) for p, c in fitted[()][0]) / 2
    torch.testing.assert_close(fitted[()][1]['loss_kl'], want)


def slow_minmax(attn, per_image, denominator, eps=1e-7):
    out = torch.empty_like(attn)
    groups = [[b] for b in range(attn.size(0))
              ] if per_image else [list(range(attn.size(0)))]
    for group in groups:
        vals = [float(v) for b in group for v in attn[b].flatten()]
        low, high = min(vals), max(vals)
        scale = high - low if denominator == 'range' else high
        for b in group:
            for i in range(attn.size(1)):
                for j in range(attn.size(2)):
                    out[b, i, j] = (attn[b, i, j] - low) / (eps + scale)
    return out


def test_fit_target_normalized_fits_the_code_att_max():
    """fit_target='normalized' with the authors' batch-global range
    normalisation: the fitted prediction is (A - min) / (eps + max - min)
    over the whole batch, checked by loops."""
    norm = dict(per_image=False, denominator='range')
    model = build(moco_cfg(fit_target='normalized', attention_norm=norm))
    seen = spy_cams(model)
    feats = []
    handle = model.backbone.register_forward_hook(
        lambda m, a, out: feats.append(out[-1]))
    torch.manual_seed(5)
    model.loss(views(), None)
    handle.remove()
    pred = seen[0][0]
    raw = model.gfb_head(feats[0].detach())
    torch.testing.assert_close(
        pred, slow_minmax(raw.detach(), False, 'range'), atol=1e-6, rtol=0)
    assert float(pred.amin()) == pytest.approx(0, abs=1e-6)
    assert float(pred.amax()) == pytest.approx(1, abs=1e-5)


def test_loss_terms_and_weights():
    model = build(moco_cfg(loss_cl_weight=2.0))
    torch.manual_seed(5)
    losses = model.loss(views(), None)
    twin = build(moco_cfg())
    torch.manual_seed(5)
    plain = twin.loss(views(), None)
    assert torch.allclose(losses['loss_cl'], 2 * plain['loss_cl'])
    assert torch.allclose(losses['loss_kl'], plain['loss_kl'])
    assert 0 <= float(losses['cam_zero_ratio']) <= 1


def test_all_zero_gradcam_trains_without_nan():
    model = build(moco_cfg())
    # a loss that ignores the map: every GradCAM is exactly zero
    model.neck.mlp[0].weight.data.zero_()
    model.neck.mlp[0].bias.data.zero_()
    losses = model.loss(views(), None)
    assert float(losses['cam_zero_ratio']) == 1.0
    assert all(torch.isfinite(v) for v in losses.values())
    losses['loss_kl'].backward()
    assert all(
        torch.isfinite(p.grad).all() for p in model.gfb_head.parameters())


def slow_weighted_feature(model, img):
    """Eq. 8 with loops, from the model's backbone and GFB."""
    feat = model.backbone(img)[-1]  # 1 x C x H x W
    attn = model.gfb_head(feat)[0]  # H x W
    lo, hi = float(attn.min()), float(attn.max())
    c, h, w = feat.shape[1:]
    out = torch.zeros(c)
    for i in range(h):
        for j in range(w):
            out += (float(attn[i, j]) - lo) / (1e-7 + hi) * feat[0, :, i, j]
    return out


def test_tensor_mode_is_the_eq8_feature_per_image():
    model = build(moco_cfg())
    model.loss(views(), None)  # move the BN statistics a little
    model.eval()
    imgs = views(batch=3)[0]
    with torch.no_grad():
        (feats, ) = model(imgs, mode='tensor')
        assert feats.shape == (3, 512)
        for n in range(3):
            assert torch.allclose(
                feats[n],
                slow_weighted_feature(model, imgs[n:n + 1]),
                rtol=1e-4,
                atol=1e-5)
        # per-image normalisation: a feature does not depend on the batch
        (alone, ) = model(imgs[1:2], mode='tensor')
        assert torch.allclose(alone[0], feats[1], rtol=1e-4, atol=1e-5)
        # switch: plain global average pooling
        model.test_pooling = 'avg'
        (avg, ) = model(imgs, mode='tensor')
        assert torch.allclose(avg, model.backbone(imgs)[-1].mean(dim=(2, 3)))
        assert not torch.allclose(avg, feats)


def test_constant_gfb_map_falls_back_to_average_pooling_and_is_counted():
    model = build(moco_cfg())
    model.eval()
    model.gfb_head.conv.weight.data.zero_()  # A is constant
    imgs = views(batch=2)[0]
    with torch.no_grad():
        (feats, ) = model.extract_feat(imgs)
        want = model.backbone(imgs)[-1].mean(dim=(2, 3))
    assert torch.allclose(feats, want, atol=1e-6)
    assert model.num_pool_fallbacks == 2


def test_dual_pooling_feeds_the_weighted_feature_to_the_neck():
    model = build(moco_cfg(train_pooling='weighted'))
    seen = []
    model.neck.register_forward_hook(lambda m, a, o: seen.append(a[0][-1]))
    losses = model.loss(views(), None)
    assert seen and seen[0].shape == (4, 512, 1, 1)
    assert all(torch.isfinite(v) for v in losses.values())
    # the cross-branch interaction: L_CL now trains the GFB too
    losses['loss_cl'].backward()
    assert nonzero(grads(model.gfb_head))


def test_val_step_gives_each_sample_its_feature():
    from mmpretrain.structures import DataSample
    model = build(moco_cfg())
    model.eval()
    data = dict(
        inputs=torch.randint(0, 255, (2, 3, 64, 64), dtype=torch.uint8),
        data_samples=[DataSample().set_gt_label(i) for i in range(2)])
    out = model.test_step(data)
    assert len(out) == 2 and out[0].pred_feat.shape == (512, )
    pre = model.data_preprocessor(data, False)['inputs']
    with torch.no_grad():
        assert torch.allclose(out[1].pred_feat, model.extract_feat(pre)[0][1])


@pytest.mark.parametrize('kwargs,match', [
    (dict(train_pooling='max'), 'train_pooling'),
    (dict(test_pooling='gap'), 'test_pooling'),
    (dict(attention_norm=dict(denominator='min')), 'denominator'),
    (dict(attention_norm=dict(per_img=True)), 'per_img'),
    (dict(gfb_head=dict(GFB, num_projections=513)), 'num_projections'),
    (dict(cam_graph='second'), 'cam_graph'),
    (dict(cam_views='last'), 'cam_views'),
    (dict(gfb_input='grad'), 'gfb_input'),
    (dict(fit_target='soft'), 'fit_target'),
    (dict(cam_loss_scale=0), 'cam_loss_scale'),
])
def test_bad_config_fails_at_build_time(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(moco_cfg(**kwargs))


def test_cam_per_image_loss_scales_the_gradcam_by_the_batch_size():
    assert build(moco_cfg()).cam_per_image_loss  # Eq. 3 per image: default
    cams = {}
    for per_image in (False, True):
        model = build(moco_cfg(cam_per_image_loss=per_image))
        seen = []
        module = model.gfb_head.loss_module
        original = module.forward
        module.forward = lambda pred, cam: (seen.append(cam),
                                            original(pred, cam))[1]
        torch.manual_seed(5)
        model.loss(views(), None)
        cams[per_image] = seen[0]
    # B x L_CL: the gradient, and the positively homogeneous ReLU, scale by B
    assert torch.allclose(cams[True], 4 * cams[False], rtol=1e-4, atol=1e-9)
    assert cams[False].abs().sum() > 0
