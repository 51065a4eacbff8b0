"""Well-posed CVSA Eq. 2: the 2-D maximum-sum box, against brute force."""
import itertools

import numpy as np
import pytest

from mmfgssl.datasets.saliency import max_sum_subarray_2d, saliency_to_box


def brute_force(gains):
    """Best sum over every rectangle, O(h^2 w^2) explicit loops."""
    h, w = gains.shape
    best = -np.inf
    for top, bottom in itertools.combinations_with_replacement(range(h), 2):
        for left, right in itertools.combinations_with_replacement(
                range(w), 2):
            s = 0.
            for y in range(top, bottom + 1):
                for x in range(left, right + 1):
                    s += gains[y, x]
            best = max(best, s)
    return best


@pytest.mark.parametrize('seed', range(12))
def test_max_sum_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    h, w = rng.integers(1, 8, size=2)
    gains = rng.normal(size=(h, w)) - rng.uniform(0, 0.5)
    top, bottom, left, right, total = max_sum_subarray_2d(gains)
    assert 0 <= top <= bottom < h and 0 <= left <= right < w
    # the returned rectangle has the returned sum, and no rectangle beats it
    assert total == pytest.approx(gains[top:bottom + 1, left:right + 1].sum())
    assert total == pytest.approx(brute_force(gains))


def test_max_sum_all_negative_picks_the_best_cell():
    gains = -np.arange(1, 13, dtype=float).reshape(3, 4)
    assert max_sum_subarray_2d(gains) == (0, 0, 0, 0, -1.0)
    with pytest.raises(ValueError, match='2-D'):
        max_sum_subarray_2d(np.zeros((0, 3)))


def test_saliency_to_box_finds_a_planted_object():
    sal = np.zeros((120, 200), np.float32)
    sal[30:90, 50:130] = 1.
    rng = np.random.default_rng(0)
    noisy = sal + rng.uniform(0, 0.3, size=sal.shape).astype(np.float32)
    box, ok = saliency_to_box(sal, max_side=200)
    assert ok
    np.testing.assert_array_equal(box, [50, 30, 130, 90])
    box, ok = saliency_to_box(noisy, threshold=0.5, max_side=50)
    assert ok
    # downsampled 4x: edges within one cell of the object
    assert np.all(np.abs(box - [50, 30, 130, 90]) <= 4)


def test_saliency_to_box_object_touching_the_border():
    sal = np.zeros((64, 64), np.float32)
    sal[:20, 40:] = 1.
    box, ok = saliency_to_box(sal)
    assert ok
    np.testing.assert_array_equal(box, [40, 0, 64, 20])


@pytest.mark.parametrize('value', [0., 0.7, np.nan])
def test_saliency_to_box_constant_or_empty_map_gives_whole_image(value):
    sal = np.full((30, 40), value, np.float32)
    box, ok = saliency_to_box(sal)
    assert not ok
    np.testing.assert_array_equal(box, [0, 0, 40, 30])


def test_saliency_to_box_rejects_bad_input():
    with pytest.raises(ValueError, match='H x W'):
        saliency_to_box(np.zeros((3, 4, 3)))
    with pytest.raises(ValueError, match='threshold'):
        saliency_to_box(np.zeros((3, 4)), threshold=1.5)
