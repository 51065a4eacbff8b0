"""CVSA Eqs. 3-5 against direct loop re-computations."""
import math

import pytest
import torch

from mmfgssl.models.utils import (alignment_loss, correspondence,
                                  cross_view_attention, downsample_mask)


def loop_attention(pred, proj):
    """A[b, i, j] = sum_c pred[b, c, i] proj[b, c, j], positions row-major."""
    b_, c_, hq, wq = pred.shape
    _, _, hk, wk = proj.shape
    out = torch.zeros(b_, hq * wq, hk * wk, dtype=torch.float64)
    for b in range(b_):
        for yi in range(hq):
            for xi in range(wq):
                for yj in range(hk):
                    for xj in range(wk):
                        s = 0.
                        for c in range(c_):
                            s += float(pred[b, c, yi, xi]) * float(
                                proj[b, c, yj, xj])
                        out[b, yi * wq + xi, yj * wk + xj] = s
    return out


def test_cross_view_attention_matches_loops():
    torch.manual_seed(0)
    pred = torch.randn(2, 5, 3, 4, dtype=torch.float64)
    proj = torch.randn(2, 5, 2, 3, dtype=torch.float64)
    attn = cross_view_attention(pred, proj)
    assert attn.shape == (2, 12, 6)
    torch.testing.assert_close(attn, loop_attention(pred, proj))


@pytest.mark.parametrize('mode, channels, query_hw, key_hw',
                         [('cosine', 4, (2, 2), (2, 2)),
                          ('scaled', 9, (2, 3), (3, 2))])
def test_cross_view_attention_modes_match_their_formula(
        mode, channels, query_hw, key_hw):
    """cosine: p.k / (|p| |k|); scaled: p.k / sqrt(C)."""
    torch.manual_seed(1)
    pred = torch.randn(2, channels, *query_hw, dtype=torch.float64)
    proj = torch.randn(2, channels, *key_hw, dtype=torch.float64)
    attn = cross_view_attention(pred, proj, mode=mode)
    for b in range(2):
        for i in range(query_hw[0] * query_hw[1]):
            for j in range(key_hw[0] * key_hw[1]):
                p = pred[b, :, i // query_hw[1], i % query_hw[1]].tolist()
                k = proj[b, :, j // key_hw[1], j % key_hw[1]].tolist()
                dot = sum(x * y for x, y in zip(p, k))
                if mode == 'cosine':
                    norms = math.sqrt(sum(x * x for x in p)) * math.sqrt(
                        sum(y * y for y in k))
                    expected = dot / norms
                else:
                    expected = dot / math.sqrt(channels)
                assert abs(float(attn[b, i, j]) - expected) < 1e-12


def test_cross_view_attention_rejects_unknown_mode():
    with pytest.raises(ValueError, match='attention mode'):
        cross_view_attention(
            torch.zeros(1, 2, 2, 2), torch.zeros(1, 2, 2, 2), mode='dots')


def test_cross_view_attention_rejects_mismatched_channels():
    with pytest.raises(ValueError, match='same B and C'):
        cross_view_attention(torch.zeros(2, 3, 2, 2), torch.zeros(2, 4, 2, 2))


def test_correspondence_matches_loops():
    torch.manual_seed(2)
    attn = torch.randn(3, 7, 5, dtype=torch.float64) * 3
    corr = correspondence(attn)
    assert corr.shape == (3, 7)
    for b in range(3):
        for i in range(7):
            expected = max(1 / (1 + math.exp(-float(attn[b, i, j])))
                           for j in range(5))
            assert abs(float(corr[b, i]) - expected) < 1e-12


def test_alignment_loss_matches_loops():
    torch.manual_seed(3)
    corr = torch.rand(4, 6, dtype=torch.float64)
    mask = torch.rand(4, 2, 3, dtype=torch.float64)
    sums = []
    for b in range(4):
        s = 0.
        for y in range(2):
            for x in range(3):
                s += (float(mask[b, y, x]) - float(corr[b, y * 3 + x]))**2
        sums.append(s)
    expected_sum = sum(sums) / 4
    assert abs(float(alignment_loss(corr, mask)) - expected_sum) < 1e-12
    assert abs(float(alignment_loss(corr, mask, 'mean')) -
               expected_sum / 6) < 1e-12
    with pytest.raises(ValueError, match='reduction'):
        alignment_loss(corr, mask, 'max')
    with pytest.raises(ValueError, match='does not match'):
        alignment_loss(corr, mask[:, :1])


def loop_bilinear(mask, h, w):
    """Plain bilinear resampling, half-pixel centres (align_corners=False)."""
    H, W = mask.shape
    out = torch.zeros(h, w, dtype=torch.float64)
    for i in range(h):
        for j in range(w):
            y = max((i + 0.5) * H / h - 0.5, 0.)
            x = max((j + 0.5) * W / w - 0.5, 0.)
            y0, x0 = int(math.floor(y)), int(math.floor(x))
            y1, x1 = min(y0 + 1, H - 1), min(x0 + 1, W - 1)
            dy, dx = y - y0, x - x0
            out[i, j] = ((1 - dy) * (1 - dx) * mask[y0, x0] +
                         (1 - dy) * dx * mask[y0, x1] + dy *
                         (1 - dx) * mask[y1, x0] + dy * dx * mask[y1, x1])
    return out


def test_downsample_mask_plain_bilinear_matches_loops():
    torch.manual_seed(4)
    mask = (torch.rand(2, 13, 17) > 0.5).to(torch.uint8)
    down = downsample_mask(mask, (4, 5), antialias=False)
    assert down.shape == (2, 4, 5)
    for b in range(2):
        torch.testing.assert_close(
            down[b].double(),
            loop_bilinear(mask[b].double(), 4, 5),
            atol=1e-6,
            rtol=0)


def test_downsample_mask_antialias_properties():
    mask = torch.zeros(2, 64, 64, dtype=torch.uint8)
    mask[1, :, :32] = 1  # left half
    down = downsample_mask(mask, (8, 8))
    assert torch.all(down[0] == 0)
    assert torch.all((down >= 0) & (down <= 1))
    # fully covered cells are 1, uncovered ones 0, the mean is the coverage
    assert torch.allclose(down[1, :, :3], torch.ones(8, 3))
    assert torch.allclose(down[1, :, 5:], torch.zeros(8, 3))
    assert abs(float(down[1].mean()) - 0.5) < 1e-6


def test_alignment_loss_zero_when_correspondence_equals_mask():
    mask = torch.zeros(3, 224, 224)
    mask[0, 20:150, 40:200] = 1
    mask[1, :, :] = 1
    mask[2, 100:101, 0:5] = 1
    target = downsample_mask(mask, (7, 7))  # B x 7 x 7
    corr = target.flatten(1).clone()  # B x 49
    assert float(alignment_loss(corr, target)) == 0.
    assert float(alignment_loss(corr + 0.1, target)) > 0.
