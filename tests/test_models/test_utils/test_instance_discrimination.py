"""NPID's memory-bank math against slow, per-element re-computations."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmfgssl.models.utils import (memory_bank_init, memory_bank_logits,
                                  momentum_update_rows,
                                  sample_negative_indices)


def test_logits_are_dot_products_with_the_drawn_rows():
    g = torch.Generator().manual_seed(0)
    feats = F.normalize(torch.randn(3, 5, generator=g), dim=1)
    bank = torch.randn(7, 5, generator=g)
    pos_idx = torch.tensor([4, 0, 6])
    neg_idx = torch.tensor([[1, 2], [6, 6], [0, 4]])
    pos, neg = memory_bank_logits(feats, bank, pos_idx, neg_idx)
    assert pos.shape == (3, 1) and neg.shape == (3, 2)
    for b in range(3):
        want = sum(
            float(feats[b, d]) * float(bank[pos_idx[b], d]) for d in range(5))
        assert abs(float(pos[b, 0]) - want) < 1e-5
        for k in range(2):
            want = sum(
                float(feats[b, d]) * float(bank[neg_idx[b, k], d])
                for d in range(5))
            assert abs(float(neg[b, k]) - want) < 1e-5


def test_no_gradient_reaches_the_memory():
    feats = F.normalize(torch.randn(2, 4), dim=1).requires_grad_()
    bank = torch.randn(5, 4, requires_grad=True)
    pos, neg = memory_bank_logits(feats, bank, torch.tensor([0, 1]),
                                  torch.tensor([[2, 3], [4, 0]]))
    (pos.sum() + neg.sum()).backward()
    assert bank.grad is None
    assert feats.grad is not None


@pytest.mark.parametrize('momentum', [0., 0.5, 0.9])
def test_momentum_update_mixes_then_normalises(momentum):
    rows = torch.tensor([[3., 4.], [1., 0.]])
    feats = torch.tensor([[0., 1.], [0., 1.]])
    out = momentum_update_rows(rows, feats, momentum)
    for b in range(2):
        x = momentum * rows[b, 0] + (1 - momentum) * feats[b, 0]
        y = momentum * rows[b, 1] + (1 - momentum) * feats[b, 1]
        norm = math.sqrt(float(x)**2 + float(y)**2)
        assert abs(float(out[b, 0]) - float(x) / norm) < 1e-6
        assert abs(float(out[b, 1]) - float(y) / norm) < 1e-6
    with pytest.raises(ValueError, match='momentum'):
        momentum_update_rows(rows, feats, 1.0)


def test_initial_rows_have_unit_expected_norm():
    bank = memory_bank_init(4000, 128, torch.Generator().manual_seed(0))
    s = 1 / math.sqrt(128 / 3)
    assert float(bank.min()) >= -s and float(bank.max()) <= s
    # uniform on [-s, s]: variance s^2 / 3 = 1 / D, squared norm about 1
    assert abs(float(bank.var()) * 128 - 1) < 0.02
    assert abs(float(bank.pow(2).sum(1).mean()) - 1) < 0.02


def test_negatives_cover_the_rows_uniformly():
    idx = sample_negative_indices(
        10, 50, 400, generator=torch.Generator().manual_seed(0))
    assert idx.shape == (50, 400) and idx.dtype == torch.long
    counts = torch.bincount(idx.flatten(), minlength=10).float()
    assert counts.numel() == 10
    # 20000 draws of 10 rows: each about 2000 (std ~42)
    assert (counts - 2000).abs().max() < 200
    with pytest.raises(ValueError, match='negative'):
        sample_negative_indices(10, 2, 0)
