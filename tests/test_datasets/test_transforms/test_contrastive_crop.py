"""ContrastiveCrop: RandomResizedCrop's size law, Beta centres inside the
box, crops inside the image, both views of a MultiView pipeline."""
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
        oh, ow, th, tw, centre = contrastive_crop_params(
            h, w, box, alpha, scale=(0.2, 1.))
        if centre is None:  # no size fitted: RandomResizedCrop's fallback
            continue
        cy, cx = centre
        assert w * box[0] <= cx <= w * box[2]
        assert h * box[1] <= cy <= h * box[3]
        us.append((cx / w - box[0]) / (box[2] - box[0]))
        vs.append((cy / h - box[1]) / (box[3] - box[1]))
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


def test_crops_never_leave_the_image():
    rng = np.random.RandomState(5)
    np.random.seed(5)
    shifted = 0
    for _ in range(3000):
        h, w = rng.randint(20, 200, size=2)
        x0, x1 = np.sort(rng.uniform(0, 1, 2))
        y0, y1 = np.sort(rng.uniform(0, 1, 2))
        if rng.rand() < 0.3:  # boxes on the borders
            x0, y1 = 0., 1.
        box = (x0, y0, max(x1, x0 + 1e-3), max(y1, y0 + 1e-3))
        oh, ow, th, tw, centre = contrastive_crop_params(
            h, w, box, 0.1, scale=(0.08, 1.))
        assert 0 <= oh and oh + th <= h and 0 < th
        assert 0 <= ow and ow + tw <= w and 0 < tw
        if centre is not None:
            # the offset is the centred one, shifted only to fit the image
            want_h = min(max(int(round(centre[0] - th / 2)), 0), h - th)
            want_w = min(max(int(round(centre[1] - tw / 2)), 0), w - tw)
            assert (oh, ow) == (want_h, want_w)
            shifted += (want_h, want_w) != (int(round(centre[0] - th / 2)),
                                            int(round(centre[1] - tw / 2)))
    assert shifted > 300  # the clamping was exercised


def test_clamp_crop_by_hand():
    # centred fits: offset = round(centre - size / 2)
    assert clamp_crop(50., 40., 20, 10, 100, 100) == (40, 35)
    # past the top-left corner: shifted to 0
    assert clamp_crop(3., 1., 20, 10, 100, 100) == (0, 0)
    # past the bottom-right corner: shifted to image size - crop size
    assert clamp_crop(99., 98., 20, 10, 100, 80) == (80, 70)


def test_whole_image_box_and_warm_up_are_exactly_random_resized_crop():
    img = photo()
    rrc = RandomResizedCrop(32, crop_ratio_range=(0.2, 1.))
    cases = {
        'whole box': table_with((0., 0., 1., 1.), active=True),
        'warm-up': table_with((0.1, 0.1, 0.3, 0.3), active=False),
        'no table': None,
    }
    for name, table in cases.items():
        ccrop = ContrastiveCrop(32, crop_ratio_range=(0.2, 1.), alpha=0.1)
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
    # crops of ~10-14 px, centres in x in [75, 100] (shifted inside), y in
    # [60, 90]
    assert centres[:, 1].min() >= 75 - 1 and centres[:, 1].max() <= 100
    assert centres[:, 0].min() >= 60 - 8 and centres[:, 0].max() <= 90 + 8
    # Beta(0.6, 0.6) spreads centres over the box, not on one point
    assert centres[:, 0].std() > 5


def test_errors():
    with pytest.raises(ValueError, match='alpha'):
        ContrastiveCrop(32, alpha=0)
    crop = ContrastiveCrop(32)
    crop.box_table = table_with((0.1, 0.1, 0.5, 0.5))
    with pytest.raises(KeyError, match='sample_idx'):
        crop(dict(img=photo()))
    with pytest.raises(IndexError, match='sample_idx 9'):
        crop(dict(img=photo(), sample_idx=9))
    assert 'alpha=0.6' in repr(crop)
