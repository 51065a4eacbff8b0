"""The pure compositing helpers of DiLo's copy-and-paste, against explicit
per-pixel loops."""
import cv2
import numpy as np
import pytest

from mmfgssl.datasets.transforms.functional import (blend_alpha, composite,
                                                    cover_crop,
                                                    gray_background,
                                                    resize_mask)


def test_gray_background():
    bg = gray_background(5, 7, 42)
    assert bg.shape == (5, 7, 3) and bg.dtype == np.uint8 and np.all(bg == 42)
    with pytest.raises(ValueError, match='gray level'):
        gray_background(2, 2, 300)


@pytest.mark.parametrize('bg_shape,out', [((30, 40), (60, 50)),
                                          ((90, 40), (30, 30)),
                                          ((30, 40), (30, 40))])
def test_cover_crop_covers_and_is_a_window_of_the_resized_background(
        bg_shape, out):
    rng = np.random.default_rng(0)
    bg = rng.integers(0, 256, bg_shape + (3, ), dtype=np.uint8)
    h, w = out
    crop, (x1, y1, x2, y2) = cover_crop(bg, h, w, rng)
    assert crop.shape == (h, w, 3) and (x2 - x1, y2 - y1) == (w, h)
    scale = max(h / bg_shape[0], w / bg_shape[1])
    new_w = max(w, int(np.ceil(bg_shape[1] * scale - 1e-6)))
    new_h = max(h, int(np.ceil(bg_shape[0] * scale - 1e-6)))
    # the aspect ratio is kept (to a pixel) and the target is covered
    assert abs(new_w / new_h -
               bg_shape[1] / bg_shape[0]) < 2 / min(new_w, new_h)
    assert 0 <= x1 and x2 <= new_w and 0 <= y1 and y2 <= new_h
    resized = bg if (new_h, new_w) == bg_shape else cv2.resize(
        bg, (new_w, new_h),
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    assert np.array_equal(crop, resized[y1:y2, x1:x2])


def test_cover_crop_positions_vary():
    bg = np.arange(100 * 30 * 3, dtype=np.uint8).reshape(100, 30, 3)
    windows = {
        cover_crop(bg, 30, 30, np.random.default_rng(s))[1]
        for s in range(20)
    }
    assert len(windows) > 5


def test_resize_mask_nearest_and_binary():
    mask = np.zeros((4, 4), np.uint8)
    mask[:2, :2] = 255
    out = resize_mask(mask, 8, 8)
    assert out.shape == (8, 8) and set(np.unique(out)) == {0, 1}
    assert out[:4, :4].all() and not out[4:].any() and not out[:, 4:].any()


def test_composite_without_blending_copies_exactly():
    rng = np.random.default_rng(0)
    fg = rng.integers(0, 256, (9, 11, 3), dtype=np.uint8)
    bg = rng.integers(0, 256, (9, 11, 3), dtype=np.uint8)
    mask = rng.random((9, 11)) > 0.5
    out = composite(fg, bg, blend_alpha(mask, 0.))
    for y in range(9):
        for x in range(11):
            src = fg if mask[y, x] else bg
            assert tuple(out[y, x]) == tuple(src[y, x])
    # the boolean fast path gives the same image
    assert np.array_equal(composite(fg, bg, mask), out)
    with pytest.raises(ValueError, match='same size'):
        composite(fg, bg[:5], blend_alpha(mask, 0.))


def test_gaussian_blending_is_a_per_pixel_convex_mix():
    rng = np.random.default_rng(1)
    fg = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    bg = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    mask = np.zeros((40, 50), np.uint8)
    mask[10:30, 12:40] = 1
    alpha = blend_alpha(mask, 2.0)
    assert alpha.dtype == np.float32 and 0 <= alpha.min() <= alpha.max() <= 1
    out = composite(fg, bg, alpha)
    for y in range(40):
        for x in range(50):
            a = float(alpha[y, x])
            for c in range(3):
                f, b = int(fg[y, x, c]), int(bg[y, x, c])
                assert min(f, b) <= out[y, x, c] <= max(f, b)
                assert abs(int(out[y, x, c]) - (a * f + (1 - a) * b)) <= 0.5
    # blended only near the border: exact sources far inside and outside
    assert np.array_equal(out[18:22, 24:28], fg[18:22, 24:28])
    assert np.array_equal(out[:3], bg[:3])
    # ... and a real mix on the border
    assert 0 < alpha[10, 20] < 1 and 0 < alpha[9, 20] < 1
