"""ContrastiveCrop: RandomResizedCrop's size law, Beta positions inside the
box (both placements), crops inside the image, whole-image boxes, both views
of a MultiView pipeline."""
import math

import numpy as np
import pytest
from mmpretrain.datasets.transforms import MultiView, RandomResizedCrop
from mmpretrain.registry import TRANSFORMS
from scipy import stats

from mmfgssl.datasets import BoxTable
from mmfgssl.datasets.transforms import ContrastiveCrop
from mmfgssl.datasets.transforms.functional import (clamp_crop,
                                                    contrastive_crop_params)


def photo():
    from skimage.data import chelsea
    return np.ascontiguousarray(chelsea()[..., ::-1])  # BGR, 300 x 451


def coordinate_image(size=100):
    """Channel 0 holds the column, channel 1 the row of each pixel."""
    ys, xs = np.mgrid[:size, :size]
    return np.stack([xs, ys, np.zeros_like(xs)], -1).astype(np.uint8)


def table_with(box, num=4, active=True):
    table = BoxTable(num)
    table.update(np.tile(np.asarray(box, np.float32), (num, 1)))
    table.set_active(active)
    return table


@pytest.mark.parametrize(
    'scale,ratio',
    [
        ((0.2, 1.), (3. / 4., 4. / 3.)),
        ((0.08, 1.), (3. / 4., 4. / 3.)),
        ((0.5, 1.), (0.2, 5.)),  # often too wide: several attempts
        ((1.5, 2.), (3. / 4., 4. / 3.)),  # never fits: central fallback
    ])
def test_sizes_equal_random_resized_crop_for_the_same_seed(scale, ratio):
    img = photo()
    rrc = RandomResizedCrop(
        64, crop_ratio_range=scale, aspect_ratio_range=ratio)
    ccrop = ContrastiveCrop(
        64, crop_ratio_range=scale, aspect_ratio_range=ratio, alpha=0.6)
    box = (0.2, 0.3, 0.5, 0.6)
    sizes = []
    for seed in range(300):
        np.random.seed(seed)
        ref = rrc.rand_crop_params(img)
        np.random.seed(seed)
        got = ccrop.rand_crop_params(img, box)
        assert got[2:] == ref[2:], seed
        sizes.append(got[2:])
        if scale[0] > 1:  # the fallback is RandomResizedCrop's central crop
            assert got == ref
    if scale[0] > 1:
        assert len(set(sizes)) == 1
    else:
        assert len(set(sizes)) > 100


def test_size_sequence_has_random_resized_crop_distribution():
    """One random stream, many crops: the areas and aspect ratios follow
    RandomResizedCrop's (two-sample KS tests, fixed seeds)."""
    img = photo()
    box = (0.4, 0.1, 0.7, 0.5)
    rrc = RandomResizedCrop(64, crop_ratio_range=(0.2, 1.))
    ccrop = ContrastiveCrop(64, crop_ratio_range=(0.2, 1.), alpha=0.1)
    np.random.seed(0)
    ref = np.array([rrc.rand_crop_params(img)[2:] for _ in range(3000)])
    np.random.seed(1)
    got = np.array([ccrop.rand_crop_params(img, box)[2:] for _ in range(3000)])
    for stat in (lambda s: s[:, 0] * s[:, 1], lambda s: s[:, 1] / s[:, 0]):
        assert stats.ks_2samp(stat(ref), stat(got)).pvalue > 0.01


@pytest.mark.parametrize('alpha', [0.1, 0.6, 1.0])
def test_centres_lie_in_the_box_and_follow_beta(alpha):
    box = (0.1, 0.2, 0.6, 0.9)
    h, w = 300, 451
    np.random.seed(0)
    us, vs = [], []
    for _ in range(3000):
        oh, ow, th, tw, draws = contrastive_crop_params(
            h, w, box, alpha, scale=(0.2, 1.), placement='centre_clamp')
        if draws is None:  # no size fitted: RandomResizedCrop's fallback
            continue
        v, u = draws
        cy, cx = h * (box[1] + (box[3] - box[1]) * v), w * (
            box[0] + (box[2] - box[0]) * u)
        assert w * box[0] <= cx <= w * box[2]
        assert h * box[1] <= cy <= h * box[3]
        # the offset is the centred one, shifted into the image
        assert oh == min(max(int(round(cy - th / 2)), 0), h - th)
        assert ow == min(max(int(round(cx - tw / 2)), 0), w - tw)
        us.append(u)
        vs.append(v)
    assert len(us) > 2900
    for sample in (us, vs):
        assert stats.kstest(sample, 'beta', args=(alpha, alpha)).pvalue > 0.01
        uniform = stats.kstest(sample, 'uniform').pvalue
        if alpha == 1.0:
            assert uniform > 0.01
        else:  # the test can tell Beta(alpha, alpha) from uniform
            assert uniform < 1e-4
    # u and v are drawn independently
    assert abs(stats.pearsonr(us, vs)[0]) < 0.05


def corner_offsets_by_enumeration(low, high, size, extent):
    """Every offset that centres a crop of ``size`` on a pixel of the box
    (``pixel - size // 2``), moved into ``[0, extent - size]``: the sorted
    distinct values, by looping over the box's pixels."""
    offsets = set()
    for pixel in range(
            int(math.floor(extent * low)),
            int(math.floor(extent * high)) + 1):
        offset = pixel - size // 2
        offsets.add(min(max(offset, 0), extent - size))
    return sorted(offsets)


@pytest.mark.parametrize('alpha', [0.1, 0.6])
def test_corner_range_placement_draws_the_corner_in_the_clipped_range(alpha):
    """The authors' placement: the range of top-left corners is clipped to
    the image first and the Beta draw picks a corner inside it, checked
    against an enumeration of the box's pixels."""
    rng = np.random.RandomState(3)
    np.random.seed(3)
    vs, us = [], []
    for trial in range(2000):
        h, w = rng.randint(40, 300, size=2)
        x0, x1 = np.sort(rng.uniform(0, 1, 2))
        y0, y1 = np.sort(rng.uniform(0, 1, 2))
        if trial % 3 == 0:
            x0, y1 = 0., 1.  # on the borders
        box = (x0, y0, x1, y1)
        oh, ow, th, tw, draws = contrastive_crop_params(
            h, w, box, alpha, scale=(0.08, 1.))
        if draws is None:
            continue
        v, u = draws
        for off, frac, lo, hi, size, extent in ((oh, v, y0, y1, th, h),
                                                (ow, u, x0, x1, tw, w)):
            offsets = corner_offsets_by_enumeration(lo, hi, size, extent)
            first, last = offsets[0], offsets[-1]
            # the whole range is reachable, so it is an interval
            assert offsets == list(range(first, last + 1))
            assert off == first + int((last - first) * frac)
            assert 0 <= off <= extent - size
        vs.append(v)
        us.append(u)
    assert len(vs) > 1900
    for sample in (us, vs):
        assert stats.kstest(sample, 'beta', args=(alpha, alpha)).pvalue > 0.01


def border_touch_rates(placement, box, alpha=0.6, num=4000):
    np.random.seed(0)
    h, w = 300, 451
    top_bottom = left_right = 0
    for _ in range(num):
        oh, ow, th, tw, _ = contrastive_crop_params(
            h, w, box, alpha, scale=(0.08, 1.), placement=placement)
        top_bottom += oh == 0 or oh + th == h
        left_right += ow == 0 or ow + tw == w
    return top_bottom / num, left_right / num


def test_corner_range_keeps_crops_off_the_border_for_a_central_box():
    """With RandomResizedCrop sizes and a box away from the borders, most
    clamped centres land the crop on the border; clipping the corner range
    first does not pile them up there."""
    box = (0.2, 0.2, 0.8, 0.8)
    clamp_y, clamp_x = border_touch_rates('centre_clamp', box)
    range_y, range_x = border_touch_rates('corner_range', box)
    # measured: 64 % / 32 % (rows / columns) against 10 % / 2 %
    assert clamp_y > 0.5 and clamp_x > 0.25
    assert range_y < 0.2 and range_x < 0.1
    assert range_y < clamp_y / 3 and range_x < clamp_x / 3


@pytest.mark.parametrize('placement', ['corner_range', 'centre_clamp'])
def test_crops_never_leave_the_image(placement):
    rng = np.random.RandomState(5)
    np.random.seed(5)
    for _ in range(3000):
        h, w = rng.randint(20, 200, size=2)
        x0, x1 = np.sort(rng.uniform(0, 1, 2))
        y0, y1 = np.sort(rng.uniform(0, 1, 2))
        if rng.rand() < 0.3:  # boxes on the borders
            x0, y1 = 0., 1.
        box = (x0, y0, max(x1, x0 + 1e-3), max(y1, y0 + 1e-3))
        oh, ow, th, tw, _ = contrastive_crop_params(
            h, w, box, 0.1, scale=(0.08, 1.), placement=placement)
        assert 0 <= oh and oh + th <= h and 0 < th
        assert 0 <= ow and ow + tw <= w and 0 < tw


def test_clamp_crop_by_hand():
    # centred fits: offset = round(centre - size / 2)
    assert clamp_crop(50., 40., 20, 10, 100, 100) == (40, 35)
    # past the top-left corner: shifted to 0
    assert clamp_crop(3., 1., 20, 10, 100, 100) == (0, 0)
    # past the bottom-right corner: shifted to image size - crop size
    assert clamp_crop(99., 98., 20, 10, 100, 80) == (80, 70)


def test_warm_up_and_uniform_whole_image_are_exactly_random_resized_crop():
    img = photo()
    rrc = RandomResizedCrop(32, crop_ratio_range=(0.2, 1.))
    cases = {
        'whole box, uniform': (table_with((0., 0., 1., 1.)), 'uniform'),
        'warm-up': (table_with((0.1, 0.1, 0.3, 0.3), active=False), 'beta'),
        'no table': (None, 'beta'),
    }
    for name, (table, whole_image) in cases.items():
        ccrop = ContrastiveCrop(
            32, crop_ratio_range=(0.2, 1.), alpha=0.1, whole_image=whole_image)
        ccrop.box_table = table
        np.random.seed(0)
        ref = [rrc(dict(img=img.copy()))['img'] for _ in range(50)]
        np.random.seed(0)
        got = [
            ccrop(dict(img=img.copy(), sample_idx=i % 4))['img']
            for i in range(50)
        ]
        assert all(np.array_equal(a, b) for a, b in zip(ref, got)), name
        if table is None:
            assert ccrop.num_without_table == 50


@pytest.mark.parametrize('box_end', [1.0, 450 / 451])
def test_whole_image_box_is_beta_sampled_once_boxes_are_active(box_end):
    """Alg. 1 Beta-samples every box: a whole-image box (exact, or ending at
    the last index as the authors' boxes do) puts the corner at
    ``floor((extent - size) * Beta)``, piled at both ends for alpha 0.1,
    not uniform."""
    h, w = 300, 451
    box = (0., 0., box_end, box_end)
    ccrop = ContrastiveCrop(32, crop_ratio_range=(0.2, 1.), alpha=0.1)
    np.random.seed(1)
    fracs = []
    for _ in range(3000):
        oh, ow, th, tw = ccrop.rand_crop_params(np.zeros((h, w, 3)), box)
        if th == h or tw == w:
            continue
        fracs.append(ow / (w - tw))
        # the row range of a whole-image box is every offset
        last_h = corner_offsets_by_enumeration(0., box_end, th, h)[-1]
        assert 0 <= oh <= last_h <= h - th
    fracs = np.array(fracs)
    # Beta(0.1, 0.1) puts ~85 % of its mass within 0.05 of either end
    ends = np.mean((fracs < 0.05) | (fracs > 0.95))
    assert ends > 0.7, ends
    np.random.seed(1)
    rrc = RandomResizedCrop(32, crop_ratio_range=(0.2, 1.))
    uniform = []
    for _ in range(3000):
        oh, ow, th, tw = rrc.rand_crop_params(np.zeros((h, w, 3)))
        if tw < w:
            uniform.append(ow / (w - tw))
    uniform = np.array(uniform)
    assert np.mean((uniform < 0.05) | (uniform > 0.95)) < 0.2


def test_both_views_crop_inside_the_box():
    img = coordinate_image(100)
    crop = TRANSFORMS.build(
        dict(
            type='ContrastiveCrop',
            scale=8,
            crop_ratio_range=(0.01, 0.02),
            alpha=0.6))
    assert isinstance(crop, ContrastiveCrop)
    multi = MultiView(num_views=2, transforms=[[crop]])
    crop.box_table = table_with((0.75, 0.6, 1., 0.9))
    np.random.seed(0)
    centres = []
    for i in range(200):
        views = multi(dict(img=img.copy(), sample_idx=i % 4))['img']
        assert len(views) == 2
        for v in views:
            # mean pixel coordinates of a small crop ~ its centre
            centres.append((v[..., 1].mean(), v[..., 0].mean()))
        assert not np.array_equal(views[0], views[1])
    centres = np.array(centres)
    # crops of ~10-14 px centred on the box's pixels, corners clipped into
    # the image: centres in x in [75 - 1, 100], y in [60, 90] (+- half a crop)
    assert centres[:, 1].min() >= 75 - 1 and centres[:, 1].max() <= 100
    assert centres[:, 0].min() >= 60 - 8 and centres[:, 0].max() <= 90 + 8
    # Beta(0.6, 0.6) spreads centres over the box, not on one point
    assert centres[:, 0].std() > 5


def test_errors():
    with pytest.raises(ValueError, match='alpha'):
        ContrastiveCrop(32, alpha=0)
    with pytest.raises(ValueError, match='placement'):
        ContrastiveCrop(32, placement='centre')
    with pytest.raises(ValueError, match='whole_image'):
        ContrastiveCrop(32, whole_image='rrc')
    crop = ContrastiveCrop(32)
    crop.box_table = table_with((0.1, 0.1, 0.5, 0.5))
    with pytest.raises(KeyError, match='sample_idx'):
        crop(dict(img=photo()))
    with pytest.raises(IndexError, match='sample_idx 9'):
        crop(dict(img=photo(), sample_idx=9))
    assert "alpha=0.6, placement='corner_range', whole_image='beta'" in repr(
        crop)


def test_added_keys_name_the_box_and_the_crop_of_the_input_image():
    img = coordinate_image(100)
    box = (0.2, 0.3, 0.6, 0.5)
    ccrop = ContrastiveCrop((20, 20),
                            crop_ratio_range=(0.04, 0.1),
                            alpha=0.6,
                            interpolation='nearest')
    ccrop.box_table = table_with(box)
    np.random.seed(3)
    for i in range(20):
        out = ccrop(dict(img=img.copy(), sample_idx=i % 4))
        assert np.allclose(out['ccrop_box'], box)
        x0, y0, x1, y1 = out['ccrop_crop_bbox'] * 100
        assert all(abs(v - round(v)) < 1e-4 for v in (x0, y0, x1, y1))
        x0, y0, x1, y1 = (int(round(v)) for v in (x0, y0, x1, y1))
        assert 0 <= x0 < x1 <= 100 and 0 <= y0 < y1 <= 100
        # the output's pixel coordinates span exactly the named rectangle
        cols, rows = out['img'][..., 0], out['img'][..., 1]
        assert cols.min() == x0 and rows.min() == y0
        assert x1 - 1 - cols.max() <= 1 and y1 - 1 - rows.max() <= 1
    # RandomResizedCrop behaviour (warm-up) adds nothing
    ccrop.box_table.set_active(False)
    out = ccrop(dict(img=img.copy(), sample_idx=0))
    assert 'ccrop_box' not in out and 'ccrop_crop_bbox' not in out
