# Copyright (c) OpenMMLab. All rights reserved.
import mmcv
import numpy as np
import pytest
from PIL import Image

import mmfgssl  # noqa: F401  (installs the patch)
from mmfgssl.utils.numpy2_compat import _MMCV_ADJUST_HUE, adjust_hue


def hue_of(bgr):
    rgb = Image.fromarray(np.ascontiguousarray(bgr[..., ::-1]), 'RGB')
    return np.array(rgb.convert('HSV'))[..., 0].astype(int)


@pytest.mark.parametrize('backend', ['pillow', 'cv2'])
def test_negative_hue_shift_wraps_around(backend):
    from skimage.data import chelsea
    img = np.ascontiguousarray(chelsea()[::8, ::8, ::-1])  # BGR photo
    out = adjust_hue(img, -0.1, backend=backend)  # numpy 2: no overflow
    assert out.shape == img.shape and out.dtype == np.uint8
    # red (hue 0) turned by -1/3 of a turn becomes blue (hue 2/3 turn)
    red = np.zeros((4, 4, 3), np.uint8)
    red[..., 2] = 255
    blue = adjust_hue(red, -1 / 3, backend=backend)
    assert (blue[..., 0] > 200).all() and (blue[..., 2] < 60).all()
    # -0.1 then +0.1 is a full turn (-25 + 25 units of 256): near identity
    back = adjust_hue(out, 0.1, backend=backend)
    sat = np.array(Image.fromarray(img[..., ::-1]).convert('HSV'))[..., 1]
    coloured = sat > 80
    diff = np.abs(hue_of(back) - hue_of(img))[coloured]
    assert np.minimum(diff, 256 - diff).max() <= 6


def test_positive_factors_and_bounds_go_to_mmcv():
    img = np.random.RandomState(0).randint(0, 255, (6, 6, 3)).astype(np.uint8)
    assert np.array_equal(
        adjust_hue(img, 0.2, backend='pillow'),
        _MMCV_ADJUST_HUE(img, 0.2, backend='pillow'))
    with pytest.raises(ValueError):
        adjust_hue(img, -0.7)


def test_patch_is_installed_when_numpy_refuses_negative_uint8():
    try:
        np.uint8(-1)
        numpy2 = False
    except OverflowError:
        numpy2 = True
    assert (mmcv.adjust_hue is adjust_hue) == numpy2
