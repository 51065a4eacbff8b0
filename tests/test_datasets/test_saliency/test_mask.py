"""Saliency map -> binary mask rules, the mask sources and LoadSaliencyMask,
on the synthetic set's real mask files."""
import os.path as osp

import numpy as np
import pytest
from mmpretrain.registry import TRANSFORMS
from PIL import Image

from mmfgssl.datasets import CUBWithBoxes
from mmfgssl.datasets.saliency import (SaliencyMaskSource, otsu_threshold,
                                       saliency_to_mask)


def slow_otsu(values, bins=256):
    """Otsu by explicit loops: every split of the histogram, class weights
    and means recomputed from the pixels' bin indices."""
    values = [min(max(float(v), 0.), 1.) for v in np.ravel(values)]
    idx = [min(int(v * bins), bins - 1) for v in values]
    best, best_split = -1., None
    for split in range(bins - 1):
        c0 = [v for v, i in zip(values, idx) if i <= split]
        c1 = [v for v, i in zip(values, idx) if i > split]
        if not c0 or not c1:
            continue
        # class means of the bin centres
        m0 = sum((i + .5) / bins for i in idx if i <= split) / len(c0)
        m1 = sum((i + .5) / bins for i in idx if i > split) / len(c1)
        w0, w1 = len(c0) / len(values), len(c1) / len(values)
        between = w0 * w1 * (m0 - m1)**2
        if between > best + 1e-12:
            best, best_split = between, split
    return best_split


def test_otsu_matches_a_slow_recomputation():
    rng = np.random.default_rng(0)
    # a bimodal map: a bright blob on a dark, noisy background
    sal = np.clip(rng.normal(0.25, 0.08, (30, 40)), 0, 1)
    sal[8:20, 10:25] = np.clip(rng.normal(0.7, 0.1, (12, 15)), 0, 1)
    t, ok = otsu_threshold(sal)
    split = slow_otsu(sal)
    assert ok and t == pytest.approx((split + 1) / 256)
    mask = saliency_to_mask(sal, 'otsu')
    idx = np.minimum((sal * 256).astype(int), 255)
    assert np.array_equal(mask, (idx > split).astype(np.uint8))
    # the blob is found
    assert mask[8:20, 10:25].mean() > 0.9 and mask[22:].mean() < 0.1


def test_mean_std_and_fixed_rules_by_loops():
    rng = np.random.default_rng(1)
    sal = rng.random((7, 9)).astype(np.float32)
    vals = [float(v) for v in sal.ravel()]
    mean = sum(vals) / len(vals)
    std = (sum((v - mean)**2 for v in vals) / len(vals))**.5
    for k in (0., 0.5, 1.):
        mask = saliency_to_mask(sal, 'mean_std', k=k)
        for y in range(7):
            for x in range(9):
                assert mask[y, x] == int(sal[y, x] > mean + k * std + 1e-7)\
                    or abs(sal[y, x] - mean - k * std) < 1e-5
    mask = saliency_to_mask(sal, 'fixed', threshold=0.3)
    assert mask.dtype == np.uint8
    assert all(mask[y, x] == int(sal[y, x] >= 0.3) for y in range(7)
               for x in range(9))


def test_constant_maps_give_empty_masks_and_errors_are_clear():
    for method in ('otsu', 'mean_std'):
        assert not saliency_to_mask(np.full((5, 6), 0.4), method).any()
        assert not saliency_to_mask(np.zeros((5, 6)), method).any()
    assert saliency_to_mask(np.ones((5, 6)), 'fixed').all()
    with pytest.raises(ValueError, match='binarisation method'):
        saliency_to_mask(np.zeros((4, 4)), 'magic')
    with pytest.raises(ValueError, match='H x W'):
        saliency_to_mask(np.zeros((4, 4, 3)), 'otsu')


def first_sample(root):
    ds = CUBWithBoxes(root, split='train', pipeline=[])
    info = ds.get_data_info(0)
    info['img'] = np.asarray(Image.open(info['img_path']))[..., ::-1]
    return info


def gt_source(root, **kwargs):
    return SaliencyMaskSource(
        kind='mask_file',
        root=osp.join(root, 'segmentations'),
        img_root=osp.join(root, 'images'),
        **kwargs)


def test_mask_file_source_reads_the_segmentation_release_layout(
        tiny_synthetic_cub):
    info = first_sample(tiny_synthetic_cub)
    source = gt_source(tiny_synthetic_cub)
    mask = source(info)
    rel = osp.relpath(info['img_path'], osp.join(tiny_synthetic_cub, 'images'))
    png = osp.join(tiny_synthetic_cub, 'segmentations',
                   osp.splitext(rel)[0] + '.png')
    assert source.file_path(info['img_path']) == png
    expected = (np.asarray(Image.open(png)) >= 128).astype(np.uint8)
    assert mask.dtype == np.uint8 and np.array_equal(mask, expected)
    # the mask agrees with the set's ground-truth box (tight box of the mask)
    ys, xs = np.nonzero(mask)
    x1, y1, x2, y2 = info['gt_bboxes'][0]
    assert (xs.min(), ys.min()) == (x1, y1)
    assert (xs.max() + 1, ys.max() + 1) == (x2, y2)


def test_mask_file_of_another_size_is_resized(tiny_synthetic_cub):
    info = first_sample(tiny_synthetic_cub)
    big = np.ascontiguousarray(np.repeat(np.repeat(info['img'], 2, 0), 2, 1))
    mask = gt_source(tiny_synthetic_cub)(dict(info, img=big))
    small = gt_source(tiny_synthetic_cub)(info)
    assert mask.shape == big.shape[:2]
    # the upsampled mask agrees with the original one away from its border
    assert np.mean(mask[::2, ::2] == small) > 0.97


def test_saliency_map_source_and_missing_files(tiny_synthetic_cub, tmp_path):
    info = first_sample(tiny_synthetic_cub)
    img_root = osp.join(tiny_synthetic_cub, 'images')
    rel = osp.splitext(osp.relpath(info['img_path'], img_root))[0]
    path = tmp_path / 'maps' / (rel + '.png')
    path.parent.mkdir(parents=True)
    sal = np.zeros((64, 64), np.uint8)
    sal[10:30, 20:50] = 200
    sal[40:, :] = 40
    Image.fromarray(sal).save(path)
    source = SaliencyMaskSource(
        kind='saliency_map', root=str(tmp_path / 'maps'), img_root=img_root)
    mask = source(info)  # Otsu splits 200 from {0, 40}
    assert np.array_equal(mask, (sal == 200).astype(np.uint8))

    other = dict(info, img_path=osp.join(img_root, 'x', 'missing.jpg'))
    with pytest.raises(FileNotFoundError, match='missing.png'):
        source(other)
    with pytest.raises(KeyError, match='img_path'):
        source(dict(img=info['img']))


def test_mask_source_config_errors():
    with pytest.raises(ValueError, match='mask_source.kind'):
        SaliencyMaskSource(kind='magic')
    # the names before the sources shared one set (a config may hold them)
    with pytest.raises(
            ValueError,
            match="^mask_source: 'mask_root' is now 'root'; 'type' is now "
            "'kind'$"):
        SaliencyMaskSource(type='mask_file', mask_root='m', img_root='i')
    with pytest.raises(
            ValueError, match="LoadSaliencyMask.source: 'roots' "
            'is unknown'):
        TRANSFORMS.build(dict(type='LoadSaliencyMask', source=dict(roots='m')))
    with pytest.raises(ValueError, match='needs root'):
        SaliencyMaskSource(kind='mask_file')
    with pytest.raises(ValueError, match='mask_source.method'):
        SaliencyMaskSource(kind='detector', method='magic')
    with pytest.raises(ValueError, match='binarize'):
        SaliencyMaskSource(binarize=dict(method='magic'))


def test_load_saliency_mask_transform(tiny_synthetic_cub):
    import mmfgssl  # noqa: F401  (registers the transform)
    info = first_sample(tiny_synthetic_cub)
    t = TRANSFORMS.build(
        dict(
            type='LoadSaliencyMask',
            source=dict(
                kind='mask_file',
                root=osp.join(tiny_synthetic_cub, 'segmentations'),
                img_root=osp.join(tiny_synthetic_cub, 'images'))))
    out = t(dict(info))
    assert np.array_equal(out['fg_mask'], gt_source(tiny_synthetic_cub)(info))
    # the default is the RBD-style detector, binarised with Otsu
    rbd = TRANSFORMS.build(dict(type='LoadSaliencyMask', mask_key='m'))
    out = rbd(dict(img=info['img']))
    assert out['m'].shape == (64, 64) and set(np.unique(out['m'])) <= {0, 1}
    assert 'background_prior' in repr(rbd)
