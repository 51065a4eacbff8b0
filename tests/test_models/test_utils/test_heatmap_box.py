"""Heatmaps and boxes of ContrastiveCrop (Eq. 2, Alg. 1) against hand-made
feature maps and a slow, loop-based re-computation."""
import math

import pytest
import torch

from mmfgssl.models.utils import feature_heatmaps, heatmaps_to_boxes


def slow_heatmap(feat, out_h, out_w, eps):
    """Channel sum, min-max and bilinear upsampling (align_corners=False)
    of one C x h x w map, with python loops."""
    channels, h, w = feat.shape
    summed = [[
        sum(float(feat[c, i, j]) for c in range(channels)) for j in range(w)
    ] for i in range(h)]
    low = min(min(row) for row in summed)
    high = max(max(row) for row in summed)
    norm = [[(v - low) / (high - low + eps) for v in row] for row in summed]

    def source(i, out_size, in_size):
        s = max((i + 0.5) * in_size / out_size - 0.5, 0.)
        i0 = min(int(math.floor(s)), in_size - 1)
        i1 = min(i0 + 1, in_size - 1)
        return i0, i1, s - i0

    out = torch.zeros(out_h, out_w, dtype=torch.float64)
    for y in range(out_h):
        y0, y1, ly = source(y, out_h, h)
        for x in range(out_w):
            x0, x1, lx = source(x, out_w, w)
            out[y, x] = ((1 - ly) * (1 - lx) * norm[y0][x0] +
                         (1 - ly) * lx * norm[y0][x1] + ly *
                         (1 - lx) * norm[y1][x0] + ly * lx * norm[y1][x1])
    return out


def slow_box(heatmap, k):
    """Rectangular closure of heatmap > k, pixel-edge normalised."""
    h, w = heatmap.shape
    pts = [(y, x) for y in range(h) for x in range(w) if heatmap[y, x] > k]
    if not pts:
        return (0., 0., 1., 1.), True
    ys = [p[0] for p in pts]
    xs = [p[1] for p in pts]
    return (min(xs) / w, min(ys) / h, (max(xs) + 1) / w,
            (max(ys) + 1) / h), False


def test_single_hot_position_gives_its_pixel():
    feat = torch.zeros(1, 2, 4, 4)
    feat[0, 0, 1, 2] = 3.  # row 1, column 2
    feat[0, 1, 1, 2] = 1.
    heat = feature_heatmaps(feat, (4, 4))
    assert heat.shape == (1, 4, 4)
    assert heat[0, 1, 2] == pytest.approx(1., abs=1e-5)
    assert heat.sum() == pytest.approx(heat[0, 1, 2])
    boxes, empty = heatmaps_to_boxes(heat, k=0.1)
    assert boxes.tolist() == [[0.5, 0.25, 0.75, 0.5]]
    assert empty.tolist() == [False]


def test_channel_sum_decides_not_single_channels():
    # channel 0 peaks at the left, but the sum over channels at the right
    feat = torch.zeros(1, 3, 1, 4)
    feat[0, 0, 0, 0] = 2.
    feat[0, 1, 0, 3] = 1.5
    feat[0, 2, 0, 3] = 1.5
    heat = feature_heatmaps(feat, (1, 4))
    # sums 2, 0, 0, 3 -> 2/3, 0, 0, 1
    assert heat[0, 0].tolist() == pytest.approx([2 / 3, 0, 0, 1], abs=1e-5)
    boxes, _ = heatmaps_to_boxes(heat, k=0.7)
    assert boxes.tolist() == [[0.75, 0., 1., 1.]]
    boxes, _ = heatmaps_to_boxes(heat, k=0.5)
    # closure of columns 0 and 3 spans the whole row
    assert boxes.tolist() == [[0., 0., 1., 1.]]


def test_min_max_is_per_image():
    base = torch.rand(1, 4, 3, 5, generator=torch.Generator().manual_seed(0))
    feats = torch.cat([base, base * 100. - 7.])
    heat = feature_heatmaps(feats, (6, 10))
    torch.testing.assert_close(heat[0], heat[1], atol=1e-5, rtol=0)
    assert heat.min() >= 0 and heat.max() <= 1


def test_threshold_is_strict_and_closure_is_rectangular():
    heat = torch.zeros(1, 5, 6)
    heat[0, 1, 4] = 0.3  # exactly k: not activated
    heat[0, 1, 1] = 0.31
    heat[0, 3, 2] = 0.9
    boxes, empty = heatmaps_to_boxes(heat, k=0.3)
    # columns 1..2, rows 1..3
    assert boxes[0].tolist() == pytest.approx([1 / 6, 1 / 5, 3 / 6, 4 / 5])
    assert not empty.item()


def test_constant_map_falls_back_to_whole_image_and_is_flagged():
    feats = torch.stack([torch.full((2, 3, 3), 5.), torch.ones(2, 3, 3)])
    feats[1, 0, 0, 0] = 9.
    heat = feature_heatmaps(feats, (6, 6))
    assert torch.isfinite(heat).all()
    assert heat[0].abs().max() == 0  # epsilon: zeros, not NaN
    boxes, empty = heatmaps_to_boxes(heat, k=0.1)
    assert empty.tolist() == [True, False]
    assert boxes[0].tolist() == [0., 0., 1., 1.]
    # the peak in the top-left cell covers the top-left of the image
    assert boxes[1, 0] == 0 and boxes[1, 1] == 0
    assert boxes[1, 2] < 1 and boxes[1, 3] < 1


def test_full_activation_is_exactly_the_whole_image():
    boxes, empty = heatmaps_to_boxes(torch.ones(2, 7, 9), k=0.1)
    assert boxes.tolist() == [[0., 0., 1., 1.]] * 2
    assert empty.tolist() == [False, False]


@pytest.mark.parametrize('k', [0.1, 0.5, 0.8])
def test_random_maps_against_slow_loops(k):
    gen = torch.Generator().manual_seed(3)
    feats = torch.randn(3, 5, 4, 6, generator=gen)
    out_h, out_w = 13, 17
    heat = feature_heatmaps(feats, (out_h, out_w), eps=1e-6)
    boxes, empty = heatmaps_to_boxes(heat, k=k)
    for b in range(3):
        ref = slow_heatmap(feats[b], out_h, out_w, 1e-6)
        torch.testing.assert_close(heat[b].double(), ref, atol=1e-5, rtol=0)
        ref_box, ref_empty = slow_box(heat[b], k)
        assert boxes[b].tolist() == pytest.approx(ref_box)
        assert empty[b].item() == ref_empty


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match='B x C x h x w'):
        feature_heatmaps(torch.zeros(3, 4, 4), (8, 8))
    with pytest.raises(ValueError, match='B x H x W'):
        heatmaps_to_boxes(torch.zeros(4, 4))
