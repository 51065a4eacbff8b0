# Copyright (c) OpenMMLab. All rights reserved.
import colorsys

import mmcv
import numpy as np
import pytest
from mmpretrain.datasets.transforms import ColorJitter as MMPretrainJitter
from mmpretrain.registry import TRANSFORMS
from skimage.data import astronaut

import mmfgssl  # noqa: F401  (re-registers ColorJitter)
from mmfgssl.datasets.transforms import ColorJitter, adjust_hue


@pytest.fixture
def bgr():
    return np.ascontiguousarray(astronaut()[::4, ::4, ::-1])  # 128 x 128


@pytest.mark.parametrize('backend', ['cv2', 'pillow'])
@pytest.mark.parametrize('factor', [0.0, 0.05, 0.1, 0.3, 0.5])
def test_adjust_hue_equals_mmcv_where_mmcv_works(bgr, backend, factor):
    expected = mmcv.adjust_hue(bgr, factor, backend=backend)
    np.testing.assert_array_equal(adjust_hue(bgr, factor, backend), expected)


@pytest.mark.parametrize('backend', ['cv2', 'pillow'])
@pytest.mark.parametrize('factor', [-0.5, -0.25, -0.1, -0.02])
def test_adjust_hue_negative_rotates_hue_backwards(backend, factor):
    # saturated colours of known hue, checked with colorsys (independent
    # of OpenCV and PIL); hues are kept clear of the 0/1 wrap
    hues = np.linspace(0.55, 0.95, 9)
    rgb = np.array([colorsys.hsv_to_rgb(h, 1.0, 1.0) for h in hues])
    bgr = np.round(255 * rgb[None, :, ::-1]).astype(np.uint8)  # 1 x 9 x 3
    out = adjust_hue(bgr, factor, backend)
    got = np.array(
        [colorsys.rgb_to_hsv(*(px[::-1] / 255.0))[0] for px in out[0]])
    want = (hues + int(factor * 255) / 256) % 1.0
    assert np.abs(got - want).max() < 2 / 256


def test_adjust_hue_rejects_bad_input(bgr):
    with pytest.raises(ValueError, match='hue_factor'):
        adjust_hue(bgr, 0.7)
    with pytest.raises(ValueError, match='backend'):
        adjust_hue(bgr, 0.1, backend='torch')


def test_registered_color_jitter_is_ours():
    assert TRANSFORMS.get('ColorJitter') is ColorJitter


def test_same_draws_and_result_as_mmpretrain_for_positive_hue(bgr):
    kwargs = dict(brightness=0.4, contrast=0.4, saturation=0.4, hue=(0, .2))
    ours, theirs = ColorJitter(**kwargs), MMPretrainJitter(**kwargs)
    for seed in range(10):
        np.random.seed(seed)
        a = ours(dict(img=bgr.copy()))['img']
        np.random.seed(seed)
        b = theirs(dict(img=bgr.copy()))['img']
        np.testing.assert_array_equal(a, b)


def test_negative_hue_fails_in_the_stack_and_works_here(bgr):
    cfg = dict(type='ColorJitter', hue=(-0.1, -0.05))
    with pytest.raises(OverflowError):  # mmcv 2.1.0 under NumPy 2
        MMPretrainJitter(hue=(-0.1, -0.05))(dict(img=bgr.copy()))
    jitter = TRANSFORMS.build(cfg)
    for seed in range(5):
        np.random.seed(seed)
        out = jitter(dict(img=bgr.copy()))['img']
        assert out.shape == bgr.shape and out.dtype == np.uint8
        assert not np.array_equal(out, bgr)
