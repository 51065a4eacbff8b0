"""The pure helpers of SaliencySwap: the U(lambda, 1) patch sampler, the
U(beta, 1) paste sampler and the paste."""
import math

import numpy as np
import pytest

from mmfgssl.datasets.transforms.functional import (integer_box, paste_patch,
                                                    sample_paste_box,
                                                    sample_patch_in_box)


def ks_uniform(samples, low, high):
    """Kolmogorov-Smirnov distance of samples to U(low, high)."""
    x = np.sort((np.asarray(samples) - low) / (high - low))
    n = len(x)
    return max(
        np.max(np.arange(1, n + 1) / n - x), np.max(x - np.arange(n) / n))


@pytest.mark.parametrize('lam', [0.08, 0.5, 0.8])
@pytest.mark.parametrize('box', [(10, 20, 410, 320), (0, 0, 300, 300),
                                 (5, 5, 105, 405)])
def test_patch_area_ratio_is_uniform_lambda_1(lam, box):
    rng = np.random.default_rng(0)
    bw, bh = box[2] - box[0], box[3] - box[1]
    ratios, aspects = [], []
    for _ in range(3000):
        x1, y1, x2, y2 = sample_patch_in_box(box, (lam, 1.0), rng=rng)
        assert box[0] <= x1 < x2 <= box[2] and box[1] <= y1 < y2 <= box[3]
        ratios.append((x2 - x1) * (y2 - y1) / (bw * bh))
        aspects.append((x2 - x1) / (y2 - y1))
    # exact U(lambda, 1) up to whole-pixel rounding
    rounding = 2 * (bw + bh) / (bw * bh)
    assert min(ratios) >= lam - rounding and max(ratios) <= 1.0
    # n = 3000: the 0.1 % critical value of the KS distance is 0.036
    assert ks_uniform(ratios, lam, 1.0) < 0.036
    # RandomResizedCrop's aspect range when the box's own ratio is in it
    # (then a ratio of the range always fits); else the closest that fits
    if 3 / 4 <= bw / bh <= 4 / 3:
        assert 3 / 4 - 0.05 < min(aspects) and max(aspects) < 4 / 3 + 0.05
    else:  # the 1:4 box: never wider than the range, narrower if needed
        assert max(aspects) < 4 / 3 + 0.05 and min(aspects) < 3 / 4


def test_patch_aspect_log_uniform_when_everything_fits():
    rng = np.random.default_rng(1)
    logs = []
    for _ in range(3000):
        x1, y1, x2, y2 = sample_patch_in_box((0, 0, 2000, 2000), (0.1, 0.1),
                                             rng=rng)
        logs.append(math.log((x2 - x1) / (y2 - y1)))
    assert ks_uniform(logs, math.log(3 / 4), math.log(4 / 3)) < 0.04


def test_patch_in_an_elongated_or_tiny_box():
    rng = np.random.default_rng(2)
    for _ in range(200):
        # 25:1 box: no 3/4..4/3 patch of half its area fits, the closest
        x1, y1, x2, y2 = sample_patch_in_box((0, 0, 500, 20), (0.5, 1.0),
                                             rng=rng)
        assert 0 <= x1 < x2 <= 500 and 0 <= y1 < y2 <= 20
        assert (x2 - x1) * (y2 - y1) >= 0.5 * 500 * 20 - 500
        # a single pixel box
        assert sample_patch_in_box((7, 3, 8, 4), rng=rng) == (7, 3, 8, 4)
    with pytest.raises(ValueError, match='Empty box'):
        sample_patch_in_box((3, 3, 3, 9))
    with pytest.raises(ValueError, match='scale_range'):
        sample_patch_in_box((0, 0, 9, 9), (0.5, 1.5))


def test_patch_sampler_reproducible_with_a_seed():
    a = [
        sample_patch_in_box((0, 0, 99, 77), rng=np.random.default_rng(5))
        for _ in range(3)
    ]
    np.random.seed(3)
    b = [sample_patch_in_box((0, 0, 99, 77)) for _ in range(5)]
    np.random.seed(3)
    c = [sample_patch_in_box((0, 0, 99, 77)) for _ in range(5)]
    assert a[0] == a[1] == a[2] and b == c and len(set(b)) > 1


@pytest.mark.parametrize('beta', [0.2, 0.5])
def test_paste_box_area_ratio_is_uniform_beta_1(beta):
    rng = np.random.default_rng(3)
    ratios = []
    for _ in range(3000):
        x1, y1, x2, y2 = sample_paste_box(
            224, 224, 60, 45, (beta, 1.0), rng=rng)
        assert 0 <= x1 < x2 <= 224 and 0 <= y1 < y2 <= 224
        ratios.append((x2 - x1) * (y2 - y1) / 224**2)
        if (x2 - x1) < 224 and (y2 - y1) < 224:  # the patch's aspect fits
            assert abs((x2 - x1) / (y2 - y1) - 60 / 45) < 0.05
    assert ks_uniform(ratios, beta, 1.0) < 0.036


def test_integer_box_covers_and_clips():
    assert integer_box([1.2, 2.7, 10.1, 11.0], 20, 20) == (1, 2, 11, 11)
    assert integer_box([-5, -1, 30, 25], 20, 20) == (0, 0, 20, 20)
    # touching the border, and degenerate: at least one pixel
    assert integer_box([19.5, 19.5, 19.5, 19.5], 20, 20) == (19, 19, 20, 20)
    assert integer_box([25, 3, 30, 3], 20, 20) == (19, 3, 20, 4)


def test_paste_patch_pixels_and_mask():
    bg = np.random.default_rng(4).integers(0, 255, (40, 50, 3), np.uint8)
    patch = np.full((10, 20, 3), 7, np.uint8)
    out, mask = paste_patch(bg, patch, (30, 5, 50, 15))
    assert np.all(out[5:15, 30:50] == 7)
    outside = np.ones((40, 50), bool)
    outside[5:15, 30:50] = False
    np.testing.assert_array_equal(out[outside], bg[outside])
    np.testing.assert_array_equal(mask, ~outside)
    assert mask.dtype == np.uint8 and not np.shares_memory(out, bg)
    with pytest.raises(ValueError, match='does not match'):
        paste_patch(bg, patch, (0, 0, 10, 10))
