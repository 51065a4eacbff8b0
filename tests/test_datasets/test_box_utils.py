# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest

from mmfgssl.datasets.box_utils import (inclusive_to_xyxy, sanitize_box,
                                        xywh_to_xyxy)


def test_xywh_to_xyxy():
    box = xywh_to_xyxy([60.0, 27.0, 325.0, 304.0])
    assert box.dtype == np.float32
    np.testing.assert_array_equal(box, [60, 27, 385, 331])


def test_inclusive_to_xyxy():
    # 1-based inclusive corners of a whole 40x30 image.
    box = inclusive_to_xyxy([1, 1, 40, 30])
    assert box.dtype == np.float32
    np.testing.assert_array_equal(box, [0, 0, 40, 30])
    np.testing.assert_array_equal(
        inclusive_to_xyxy([11, 6, 30, 25]), [10, 5, 30, 25])


def test_sanitize_box_ok():
    box, status = sanitize_box([2.5, 3, 12, 15], 40, 30)
    assert status == 'ok'
    assert box.shape == (4, ) and box.dtype == np.float32
    np.testing.assert_array_equal(box, [2.5, 3, 12, 15])
    # A box equal to the image is kept.
    box, status = sanitize_box([0, 0, 40, 30], 40, 30)
    assert status == 'ok'
    np.testing.assert_array_equal(box, [0, 0, 40, 30])


@pytest.mark.parametrize('raw,expected', [
    ([30, 20, 50, 40], [30, 20, 40, 30]),
    ([-5, -1, 10, 10], [0, 0, 10, 10]),
    ([-10, -10, 100, 100], [0, 0, 40, 30]),
])
def test_sanitize_box_clipped(raw, expected):
    box, status = sanitize_box(raw, 40, 30)
    assert status == 'clipped'
    assert box.dtype == np.float32
    np.testing.assert_array_equal(box, expected)


@pytest.mark.parametrize(
    'raw',
    [
        [0, 0, 0.5, 10],  # narrower than 1 pixel
        [5, 5, 20, 5.9],  # lower than 1 pixel
        [10, 10, 5, 20],  # x2 < x1
        [45, 0, 60, 10],  # right of the image: empty after clipping
        [0, -20, 10, -5],  # above the image
        [np.nan, 0, 10, 10],
        [0, 0, np.inf, 10],
    ])
def test_sanitize_box_degenerate(raw):
    box, status = sanitize_box(raw, 40, 30)
    assert status == 'degenerate'
    assert box.dtype == np.float32
    np.testing.assert_array_equal(box, [0, 0, 40, 30])


def test_sanitize_box_invalid_input():
    with pytest.raises(ValueError):
        sanitize_box([0, 0, 1], 40, 30)
    with pytest.raises(ValueError, match='image size'):
        sanitize_box([0, 0, 1, 1], 0, 30)
