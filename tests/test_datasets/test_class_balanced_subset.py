"""Class-balanced seeded subsets: label fractions and validation carving."""
import collections

import numpy as np
import pytest

from mmfgssl.datasets import ClassBalancedSubset, class_balanced_indices


def _labels():
    # class 0: 10 samples, class 1: 5, class 2: 20, class 3: 1, interleaved
    labels = [0] * 10 + [1] * 5 + [2] * 20 + [3]
    return np.random.default_rng(3).permutation(labels)


@pytest.mark.parametrize('fraction', [1.0, 0.5, 0.2])
def test_fraction_is_class_balanced(fraction):
    labels = _labels()
    idx = class_balanced_indices(labels, fraction, seed=0)
    counts = collections.Counter(labels[idx].tolist())
    full = collections.Counter(labels.tolist())
    for cls, n in full.items():
        # round(fraction * n), at least one image per class
        assert counts[cls] == max(1, int(round(fraction * n)))
    assert list(idx) == sorted(set(idx.tolist()))  # sorted, no repeats


def test_same_seed_same_subset_other_seed_differs():
    labels = _labels()
    a = class_balanced_indices(labels, 0.5, seed=7)
    b = class_balanced_indices(labels.copy(), 0.5, seed=7)
    c = class_balanced_indices(labels, 0.5, seed=8)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_fractions_nested_and_complement_partitions():
    labels = _labels()
    small = set(class_balanced_indices(labels, 0.2, seed=1).tolist())
    large = set(class_balanced_indices(labels, 0.5, seed=1).tolist())
    assert small < large
    rest = set(
        class_balanced_indices(labels, 0.5, seed=1, complement=True).tolist())
    assert not rest & large
    assert rest | large == set(range(len(labels)))


def test_bad_fraction():
    with pytest.raises(ValueError, match='fraction'):
        class_balanced_indices([0, 1], 0.0)
    with pytest.raises(ValueError, match='fraction'):
        class_balanced_indices([0, 1], 1.5)


def test_wrapper_on_real_dataset(tiny_synthetic_cub):
    base = dict(
        type='CUBWithBoxes',
        data_root=tiny_synthetic_cub,
        split='train',
        pipeline=[])
    full = ClassBalancedSubset(dataset=base, fraction=1.0)
    half = ClassBalancedSubset(dataset=base, fraction=0.5, seed=0)
    again = ClassBalancedSubset(dataset=base, fraction=0.5, seed=0)
    assert len(full) == 16  # 4 classes x 4 train images
    assert len(half) == 8
    assert collections.Counter(half.get_gt_labels().tolist()) == {
        0: 2,
        1: 2,
        2: 2,
        3: 2
    }
    paths = [half.get_data_info(i)['img_path'] for i in range(len(half))]
    assert paths == [
        again.get_data_info(i)['img_path'] for i in range(len(again))
    ]
    # items are the wrapped dataset's samples, boxes included
    item = half[0]
    assert item['img_path'] == paths[0]
    assert item['gt_bboxes'].shape == (1, 4)
    assert half.metainfo == full.dataset.metainfo


def test_wrapper_needs_labels(tiny_synthetic_cub):
    with pytest.raises(KeyError, match='gt_label'):
        ClassBalancedSubset(
            dataset=dict(
                type='UnlabeledImageFolder',
                data_root=tiny_synthetic_cub,
                data_prefix='images',
                pipeline=[]),
            fraction=0.5)
