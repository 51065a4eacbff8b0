"""Heatmaps, thresholds and boxes of ContrastiveCrop (Eq. 2, Alg. 1) and
the paired box IoU, against hand-made feature maps and a slow, loop-based
re-computation."""
import math

import numpy as np
import pytest
import torch

from mmfgssl.models.utils import (check_heatmap_threshold, feature_heatmaps,
                                  heatmap_thresholds, heatmaps_to_boxes,
                                  paired_box_iou)


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


def slow_box(heatmap, k, end=1):
    """Rectangular closure of heatmap > k, normalised; ``end`` 1 ends the
    box after its last pixel (pixel edges), 0 at its last index."""
    h, w = heatmap.shape
    pts = [(y, x) for y in range(h) for x in range(w) if heatmap[y, x] > k]
    if not pts:
        return (0., 0., 1., 1.), True
    ys = [p[0] for p in pts]
    xs = [p[1] for p in pts]
    return (min(xs) / w, min(ys) / h, (max(xs) + end) / w,
            (max(ys) + end) / h), False


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


def test_index_box_edges_against_slow_loops():
    """The authors' convention: the box ends at the last index, so a full
    mask is never exactly the whole image."""
    gen = torch.Generator().manual_seed(4)
    heat = feature_heatmaps(torch.randn(4, 3, 5, 5, generator=gen), (11, 9))
    boxes, empty = heatmaps_to_boxes(heat, k=0.3, box_edge='index')
    for b in range(4):
        ref_box, ref_empty = slow_box(heat[b], 0.3, end=0)
        assert boxes[b].tolist() == pytest.approx(ref_box)
        assert empty[b].item() == ref_empty
    full, _ = heatmaps_to_boxes(torch.ones(1, 7, 9), 0.1, box_edge='index')
    assert full.tolist() == [pytest.approx([0., 0., 8 / 9, 6 / 7])]
    with pytest.raises(ValueError, match='box_edge'):
        heatmaps_to_boxes(heat, 0.3, box_edge='edge')


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match='B x C x h x w'):
        feature_heatmaps(torch.zeros(3, 4, 4), (8, 8))
    with pytest.raises(ValueError, match='B x H x W'):
        heatmaps_to_boxes(torch.zeros(4, 4))


# -------------------------------------------------- per-image thresholds
def slow_threshold(heatmap, mode, k):
    """The threshold of one H x W heatmap, with python loops and
    ``np.quantile``."""
    values = [float(v) for row in heatmap.tolist() for v in row]
    if mode == 'fixed':
        return k
    if mode == 'mean':
        return k * sum(values) / len(values)
    return float(np.quantile(np.array(values, dtype=np.float64), k))


@pytest.mark.parametrize('mode,k', [('fixed', 0.1), ('fixed', 0.6),
                                    ('mean', 1.0), ('mean', 1.7),
                                    ('mean', 0.4), ('quantile', 0.5),
                                    ('quantile', 0.9), ('quantile', 0.03)])
def test_thresholds_and_boxes_against_slow_loops(mode, k):
    gen = torch.Generator().manual_seed(5)
    feats = torch.randn(4, 3, 5, 4, generator=gen)
    heat = feature_heatmaps(feats, (11, 9))
    thresholds = heatmap_thresholds(heat, mode, k)
    assert thresholds.shape == (4, ) and thresholds.dtype == heat.dtype
    boxes, empty = heatmaps_to_boxes(heat, thresholds)
    for b in range(4):
        ref = slow_threshold(heat[b], mode, k)
        assert thresholds[b].item() == pytest.approx(ref, abs=1e-6)
        # the box of the threshold as a number, found by the loops
        ref_box, ref_empty = slow_box(heat[b], thresholds[b].item())
        assert boxes[b].tolist() == pytest.approx(ref_box)
        assert empty[b].item() == ref_empty


def test_quantile_keeps_about_the_top_fraction():
    heat = torch.rand(2, 20, 30, generator=torch.Generator().manual_seed(1))
    thresholds = heatmap_thresholds(heat, 'quantile', 0.75)
    above = (heat > thresholds[:, None, None]).flatten(1).float().mean(1)
    assert above.tolist() == pytest.approx([0.25, 0.25], abs=1 / 600 + 1e-6)


def test_fixed_threshold_collapses_where_mean_and_quantile_are_tight():
    """A bright object on a background at 0.2: every pixel is above the
    paper's k = 0.1, so the box is the whole image; the mean (0.28) and the
    0.8-quantile (0.2) separate the object."""
    heat = torch.full((1, 10, 12), 0.2)
    heat[0, 2:5, 3:7] = 1.0  # rows 2..4, columns 3..6: 12 of 120 pixels
    boxes, empty = heatmaps_to_boxes(heat, 0.1)
    assert boxes.tolist() == [[0., 0., 1., 1.]] and not empty.item()
    tight = [3 / 12, 2 / 10, 7 / 12, 5 / 10]
    assert slow_box(heat[0], 0.1)[0] == (0., 0., 1., 1.)
    for mode, k in [('mean', 1.0), ('quantile', 0.8)]:
        thresholds = heatmap_thresholds(heat, mode, k)
        assert thresholds.item() == pytest.approx(
            slow_threshold(heat[0], mode, k))
        boxes, empty = heatmaps_to_boxes(heat, thresholds)
        assert boxes[0].tolist() == pytest.approx(tight)
        assert slow_box(heat[0], thresholds.item())[0] == pytest.approx(tight)
        assert not empty.item()
    # 'fixed' gives k itself, the same boxes as the number
    thresholds = heatmap_thresholds(heat, 'fixed', 0.1)
    assert thresholds.tolist() == pytest.approx([0.1])
    assert torch.equal(
        heatmaps_to_boxes(heat, thresholds)[0],
        heatmaps_to_boxes(heat, 0.1)[0])


def test_constant_heatmap_is_empty_in_every_mode():
    heat = torch.zeros(1, 4, 4)
    for mode, k in [('fixed', 0.1), ('mean', 1.0), ('quantile', 0.5)]:
        thresholds = heatmap_thresholds(heat, mode, k)
        boxes, empty = heatmaps_to_boxes(heat, thresholds)
        assert boxes.tolist() == [[0., 0., 1., 1.]]
        assert empty.tolist() == [True]


def test_tensor_k_is_one_threshold_per_image():
    gen = torch.Generator().manual_seed(2)
    heat = feature_heatmaps(torch.randn(3, 2, 4, 4, generator=gen), (8, 8))
    ks = [0.2, 0.9, 0.5]
    boxes, empty = heatmaps_to_boxes(heat, torch.tensor(ks))
    for b, k in enumerate(ks):
        one_box, one_empty = heatmaps_to_boxes(heat[b:b + 1], k)
        assert torch.equal(boxes[b], one_box[0])
        assert empty[b] == one_empty[0]
        assert boxes[b].tolist() == pytest.approx(slow_box(heat[b], k)[0])
    # a double tensor threshold on float heatmaps
    boxes64, _ = heatmaps_to_boxes(heat, torch.tensor(ks, dtype=torch.float64))
    assert torch.equal(boxes64, boxes)


def test_bad_threshold_arguments_raise():
    heat = torch.rand(2, 4, 4)
    with pytest.raises(ValueError, match='threshold_mode'):
        heatmap_thresholds(heat, 'median', 0.5)
    for mode, k in [('fixed', 1.0), ('fixed', -0.1), ('mean', 0.),
                    ('mean', -1.), ('quantile', 0.), ('quantile', 1.)]:
        with pytest.raises(ValueError, match=f"k must .*'{mode}'"):
            heatmap_thresholds(heat, mode, k)
        with pytest.raises(ValueError, match='k must'):
            check_heatmap_threshold(mode, k)
    with pytest.raises(ValueError, match='k must be a number'):
        check_heatmap_threshold('mean', '1')
    check_heatmap_threshold('mean', 3.)  # a multiple of the mean above 1
    with pytest.raises(ValueError, match='B x H x W'):
        heatmap_thresholds(torch.rand(4, 4), 'mean', 1.)
    with pytest.raises(ValueError, match=r'tensor k .*\(2, \).*\(3,\)'):
        heatmaps_to_boxes(heat, torch.tensor([.1, .2, .3]))
    with pytest.raises(ValueError, match='tensor k'):
        heatmaps_to_boxes(heat, torch.tensor(.1))


# --------------------------------------------------------- paired box IoU
def slow_iou(a, b):
    """IoU of two (x0, y0, x1, y1) boxes, with python numbers."""
    iw = max(0., min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0., min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) -
             inter)
    return inter / union if union > 0 else 0.


def test_paired_box_iou_against_slow_loop():
    gen = torch.Generator().manual_seed(4)
    corners = torch.rand(2, 20, 2, 2, generator=gen).sort(2).values
    boxes_a, boxes_b = corners.reshape(2, 20, 4)  # x0 <= x1, y0 <= y1
    boxes_a[0] = boxes_b[0]  # identical: 1
    boxes_a[1] = torch.tensor([0., 0., .2, .2])  # disjoint: 0
    boxes_b[1] = torch.tensor([.5, .5, 1., 1.])
    boxes_a[2] = torch.tensor([0., 0., 1., 1.])  # nested: the area ratio
    boxes_b[2] = torch.tensor([.25, .25, .75, .75])
    iou = paired_box_iou(boxes_a, boxes_b)
    assert iou.shape == (20, ) and iou.dtype == torch.float64
    ref = [slow_iou(a, b) for a, b in zip(boxes_a.tolist(), boxes_b.tolist())]
    assert iou.tolist() == pytest.approx(ref, abs=1e-7)
    assert iou[:3].tolist() == pytest.approx([1., 0., .25])
    assert ((iou >= 0) & (iou <= 1)).all()
    # not all pairs: swapping the rows of one side changes the IoUs
    assert not torch.allclose(paired_box_iou(boxes_a, boxes_b.flip(0)), iou)
    with pytest.raises(ValueError, match='boxes_a and boxes_b'):
        paired_box_iou(boxes_a, boxes_b[:3])
    with pytest.raises(ValueError, match='N x 4'):
        paired_box_iou(torch.zeros(3, 5), torch.zeros(3, 5))
