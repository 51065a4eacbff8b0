"""ColorJitter's hue under numpy 2: negative factors work and match the
numpy-1 arithmetic; positive ones match mmcv exactly."""
import colorsys

import mmcv
import numpy as np
import pytest
from mmpretrain.registry import TRANSFORMS

from mmfgssl.datasets.transforms import ColorJitter
from mmfgssl.datasets.transforms.color_jitter import adjust_hue


def test_registered_over_mmpretrains():
    assert TRANSFORMS.get('ColorJitter') is ColorJitter


@pytest.mark.parametrize('backend', ['pillow', 'cv2'])
def test_positive_hue_equals_mmcv(backend):
    img = np.random.default_rng(0).integers(0, 255, (16, 16, 3), np.uint8)
    np.testing.assert_array_equal(
        adjust_hue(img, 0.07, backend), mmcv.adjust_hue(img, 0.07, backend))


@pytest.mark.parametrize('backend', ['pillow', 'cv2'])
def test_negative_hue_rotates_backwards(backend):
    # pure red: hue 0; a shift of -0.2 turns it magenta-ish (hue 1 - 0.2)
    img = np.zeros((4, 4, 3), np.uint8)
    img[..., 2] = 200
    out = adjust_hue(img, -0.2, backend)
    b, g, r = (int(v) for v in out[0, 0])
    h, _, _ = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    assert abs(h - (1 - int(0.2 * 255) / 256)) < 0.02
    # a full turn is the identity (up to HSV rounding)
    assert np.abs(
        adjust_hue(adjust_hue(img, -0.2, backend), 0.2, backend).astype(int) -
        img).max() <= 6


def test_colour_jitter_never_overflows():
    t = TRANSFORMS.build(
        dict(
            type='ColorJitter',
            brightness=0.4,
            contrast=0.4,
            saturation=0.4,
            hue=0.5))
    img = np.random.default_rng(1).integers(0, 255, (8, 8, 3), np.uint8)
    np.random.seed(0)
    for _ in range(50):
        assert t(dict(img=img.copy()))['img'].shape == (8, 8, 3)
