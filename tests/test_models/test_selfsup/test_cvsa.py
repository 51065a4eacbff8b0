"""The CVSA algorithm: losses, stop-gradient, EMA of the conv projector,
configurable stages."""
import copy
import math

import numpy as np
import pytest
import torch
from gfb_models import byol_head, mlp_neck
from mmengine.logging import MessageHub
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmfgssl.models import CVSA

HID = 32
# mmpretrain's BYOL MLPs: 2 layers with biases, no BN after the last
MLP_OPTIONS = dict(num_layers=2, with_bias=True, with_last_bn=False)


def model_cfg(align_stages=(4, ), out_indices=(3, ), momentum=0.1):
    in_channels = [{3: 256, 4: 512}[s] for s in align_stages]
    return dict(
        type='CVSA',
        base_momentum=momentum,
        align_stages=align_stages,
        data_preprocessor=dict(
            mean=(123.675, 116.28, 103.53),
            std=(58.395, 57.12, 57.375),
            to_rgb=True),
        backbone=dict(
            type='ResNet',
            depth=18,
            out_indices=out_indices,
            norm_cfg=dict(type='BN')),
        neck=mlp_neck(512, hid_channels=HID, **MLP_OPTIONS),
        head=byol_head(hid_channels=HID, **MLP_OPTIONS),
        dense_neck=dict(
            type='ConvNonLinearNeck',
            in_channels=in_channels,
            hid_channels=HID,
            out_channels=16,
            norm_cfg=dict(type='BN')),
        align_head=dict(
            type='SaliencyAlignHead',
            predictor=dict(
                type='ConvNonLinearNeck',
                in_channels=[16] * len(align_stages),
                hid_channels=HID,
                out_channels=16,
                norm_cfg=dict(type='BN')),
            loss=dict(type='SaliencyAlignLoss', loss_weight=4.0)))


def batch(size=32, n=4, seed=0):
    rng = np.random.default_rng(seed)
    views = [
        torch.from_numpy(rng.integers(0, 255, (n, 3, size, size), np.uint8))
        for _ in range(2)
    ]
    samples = []
    for _ in range(n):
        masks = []
        for _ in range(2):
            m = np.zeros((size, size), np.uint8)
            x1, y1 = rng.integers(0, size // 2, 2)
            m[y1:y1 + size // 2, x1:x1 + size // 2] = 1
            masks.append(m)
        sample = DataSample()
        sample.set_field(masks, 'saliency_mask')
        samples.append(sample)
    return dict(inputs=views, data_samples=samples)


@pytest.fixture(autouse=True)
def message_hub():
    hub = MessageHub.get_current_instance()
    hub.update_info('iter', 0)
    hub.update_info('max_iters', 10)


def losses_of(model, data):
    data = model.data_preprocessor(data, True)
    return model(**data, mode='loss')


def test_losses_are_separate_and_finite():
    torch.manual_seed(0)
    model = MODELS.build(model_cfg())
    assert isinstance(model, CVSA)
    losses = losses_of(model, batch())
    assert set(losses) == {'loss_cont', 'loss_align'}
    assert all(math.isfinite(float(v)) for v in losses.values())
    # the BYOL loss is 2 * (-cos - cos): in [-4, 4]
    assert -4 <= float(losses['loss_cont']) <= 4
    # weight 4 x two directions x at most 1 per position of the 1 x 1 map
    assert 0 <= float(losses['loss_align']) <= 4 * 2 * 1


def test_gradient_reaches_the_online_branch_only():
    torch.manual_seed(1)
    model = MODELS.build(model_cfg())
    losses = losses_of(model, batch())
    (losses['loss_cont'] + losses['loss_align']).backward()
    for name, p in model.target_net.named_parameters():
        assert p.grad is None, name
    for module in (model.backbone, model.neck, model.dense_neck,
                   model.head.predictor, model.align_head.predictor):
        grads = [p.grad for p in module.parameters() if p.requires_grad]
        assert grads and all(g is not None for g in grads)
    # the alignment loss alone reaches the backbone and the conv branch
    model.zero_grad(set_to_none=True)
    losses_of(model, batch(seed=1))['loss_align'].backward()
    assert model.backbone.layer4[1].conv2.weight.grad.abs().sum() > 0
    assert model.dense_neck.branches[0][0].weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.neck.parameters())


def test_target_conv_projector_is_the_ema_of_the_online_one():
    torch.manual_seed(2)
    m = 0.1
    model = MODELS.build(model_cfg(momentum=m))
    optim = torch.optim.SGD(model.parameters(), lr=0.5)
    target = model.target_net.module
    assert isinstance(target[2], type(model.dense_neck))
    # step 1: the target network starts as a copy of the online one
    losses = losses_of(model, batch())
    torch.testing.assert_close(target[2].branches[0][0].weight,
                               model.dense_neck.branches[0][0].weight)
    before = copy.deepcopy(target[2].state_dict())
    sum(losses.values()).backward()
    optim.step()
    online = model.dense_neck.state_dict()
    assert not torch.equal(online['branches.0.0.weight'],
                           before['branches.0.0.weight'])
    # step 2: target <- (1 - m') target + m' online, CosineEMA's momentum
    # after 1 of max_iters = 10 updates: m' = m (cos(pi / 10) + 1) / 2
    losses_of(model, batch(seed=3))
    m = m * (math.cos(math.pi / 10) + 1) / 2
    after = target[2].state_dict()
    for key in ('branches.0.0.weight', 'branches.0.3.weight',
                'branches.0.3.bias'):
        torch.testing.assert_close(after[key],
                                   (1 - m) * before[key] + m * online[key])


def test_alignment_on_stages_three_and_four():
    torch.manual_seed(3)
    model = MODELS.build(model_cfg(align_stages=(3, 4), out_indices=(2, 3)))
    assert model.align_levels == [0, 1] and model.global_level == 1
    losses = losses_of(model, batch(size=64))
    assert all(math.isfinite(float(v)) for v in losses.values())
    # stage 3 only: stage 4 still feeds the global branch
    model = MODELS.build(model_cfg(align_stages=(3, ), out_indices=(2, 3)))
    assert model.align_levels == [0] and model.global_level == 1
    assert math.isfinite(float(losses_of(model, batch())['loss_align']))


def test_correspondence_maps_follow_the_align_stages():
    # the public map (vis_attention.py's): online nets on view q, target
    # (EMA) nets on view k, one map per align stage, in their order
    torch.manual_seed(4)
    model = MODELS.build(model_cfg(align_stages=(3, 4), out_indices=(2, 3)))
    model.eval()
    with torch.no_grad():
        for p in model.target_net.module.parameters():
            p.mul_(0.9)
    q, k = torch.randn(2, 3, 64, 64), torch.randn(2, 3, 48, 48)
    maps = model.correspondence(q, k)
    assert [tuple(m.shape) for m in maps] == [(2, 4, 4), (2, 2, 2)]
    assert not any(m.requires_grad for m in maps)
    with torch.no_grad():
        backbone, _, dense_neck = model.target_net.module
        target = dense_neck(backbone(k))  # target[l]: B x 16 x h'_l x w'_l
        pred = model.align_head.predictor(model.dense_neck(
            model.backbone(q)))  # pred[l]: B x 16 x h_l x w_l
    for level, corr in enumerate(maps):
        p, t = pred[level].flatten(2), target[level].flatten(2)
        # Eqs. 3-4 with the default scaled dot product: B x HWq
        expected = torch.sigmoid(torch.einsum('bdi,bdj->bij', p, t) /
                                 4.).amax(2)
        assert torch.allclose(corr.flatten(1), expected, atol=1e-5)


def test_bad_configs_and_inputs():
    with pytest.raises(ValueError, match=r'model.backbone.out_indices'):
        MODELS.build(model_cfg(align_stages=(3, ), out_indices=(3, )))
    model = MODELS.build(model_cfg())
    data = batch()
    del data['data_samples'][1].saliency_mask
    with pytest.raises(KeyError, match='MultiViewWithMask'):
        losses_of(model, data)
