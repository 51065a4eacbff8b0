import math

import pytest
import torch

from mmfgssl.models import SaliencyAlignHead
from mmfgssl.models.utils import downsample_mask


def build_head(weight=1.0, levels=1, **kwargs):
    return SaliencyAlignHead(
        **kwargs,
        predictor=dict(
            type='ConvNonLinearNeck',
            in_channels=[6] * levels,
            hid_channels=10,
            out_channels=6,
            norm_cfg=dict(type='BN')),
        loss=dict(type='SaliencyAlignLoss', loss_weight=weight))


def test_default_attention_is_the_scaled_dot_product():
    assert build_head().attention == 'scaled'


@pytest.mark.parametrize('attention', ['dot', 'scaled'])
def test_head_equals_the_equations_recomputed_with_loops(attention):
    # 'dot': Eq. 3 as written; 'scaled': the same over sqrt(d), d = 6
    divisor = 1. if attention == 'dot' else math.sqrt(6)
    torch.manual_seed(0)
    head = build_head(weight=2.0, attention=attention)
    head.eval()
    online = torch.randn(2, 6, 3, 3)
    target = torch.randn(2, 6, 3, 3)
    mask = torch.zeros(2, 12, 12)
    mask[0, 2:9, 3:12] = 1
    mask[1, :6] = 1
    loss = head.loss((online, ), (target, ), mask)
    pred = head.predictor((online, ))[0]
    small = downsample_mask(mask, (3, 3))
    expected = 0.
    for b in range(2):
        for i in range(9):
            best = max(
                float((pred[b, :, i // 3, i % 3] *
                       target[b, :, j // 3, j % 3]).sum()) / divisor
                for j in range(9))
            c = 1 / (1 + torch.exp(torch.tensor(-best)))
            expected += (float(small[b, i // 3, i % 3]) - float(c))**2
    assert abs(float(loss) - 2.0 * expected / 2) < 1e-4


def test_gradient_reaches_the_online_side_only():
    torch.manual_seed(1)
    head = build_head(levels=2)
    online = [torch.randn(2, 6, 4, 4, requires_grad=True) for _ in range(2)]
    target = [torch.randn(2, 6, 4, 4, requires_grad=True) for _ in range(2)]
    mask = (torch.rand(2, 16, 16) > 0.5).float()
    head.loss(online, target, mask).backward()
    assert all(t.grad is None for t in target)
    assert all(o.grad is not None and o.grad.abs().sum() > 0 for o in online)
    assert all(p.grad is not None for p in head.predictor.parameters())


def test_levels_are_summed():
    torch.manual_seed(2)
    head = build_head(levels=2)
    head.eval()
    online = [torch.randn(2, 6, 4, 4), torch.randn(2, 6, 2, 2)]
    target = [torch.randn(2, 6, 4, 4), torch.randn(2, 6, 2, 2)]
    mask = (torch.rand(2, 16, 16) > 0.5).float()
    both = head.loss(online, target, mask)
    single = build_head()
    single.eval()
    total = 0.
    for level in range(2):
        single.predictor.branches[0].load_state_dict(
            head.predictor.branches[level].state_dict())
        total += single.loss((online[level], ), (target[level], ), mask)
    torch.testing.assert_close(both, total)


def test_cosine_attention_with_temperature():
    torch.manual_seed(3)
    head = build_head(attention='cosine', temperature=0.1)
    head.eval()
    online, target = torch.randn(1, 6, 2, 2), torch.randn(1, 6, 2, 2)
    mask = torch.ones(1, 2, 2)
    pred = head.predictor((online, ))[0][0].flatten(1)  # 6 x 4
    tgt = target[0].flatten(1)  # 6 x 4
    expected = 0.
    for i in range(4):
        cos = max(
            float(pred[:, i] @ tgt[:, j] /
                  (pred[:, i].norm() * tgt[:, j].norm())) for j in range(4))
        expected += (1 - 1 / (1 + math.exp(-cos / 0.1)))**2
    assert abs(float(head.loss((online, ), (target, ), mask)) -
               expected) < 1e-5
    with pytest.raises(ValueError, match='temperature'):
        build_head(temperature=0.)
