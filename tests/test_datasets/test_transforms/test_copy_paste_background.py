"""CopyPasteBackground (DiLo) on the synthetic CUB-format set's images and
ground-truth masks."""
import os.path as osp
from unittest import mock

import mmcv
import numpy as np
import pytest
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmpretrain.registry import TRANSFORMS
from PIL import Image

from mmfgssl.datasets import CUBWithBoxes


@pytest.fixture(autouse=True)
def mmpretrain_scope():
    init_default_scope('mmpretrain')


def sample(root, index=0):
    """A training image of the synthetic set with its ground-truth mask,
    both read from disk."""
    ds = CUBWithBoxes(root, split='train', pipeline=[])
    info = ds.get_data_info(index)
    info['img'] = mmcv.imread(info['img_path'])
    rel = osp.relpath(info['img_path'], osp.join(root, 'images'))
    png = osp.join(root, 'segmentations', osp.splitext(rel)[0] + '.png')
    info['fg_mask'] = (np.asarray(Image.open(png)) >= 128).astype(np.uint8)
    return info


def build(**kwargs):
    return TRANSFORMS.build(dict(type='CopyPasteBackground', **kwargs))


def texture_folder(tmp_path, n=3, size=(64, 64), seed=0):
    """``n`` random-noise textures of exactly the image size (so the cover
    crop is the whole texture)."""
    rng = np.random.default_rng(seed)
    folder = tmp_path / 'textures' / 'sub'
    folder.mkdir(parents=True)
    images = {}
    for i in range(n):
        img = rng.integers(0, 256, size + (3, ), dtype=np.uint8)
        path = str(folder / f't{i}.png')
        mmcv.imwrite(img, path)
        images[path] = img
    (tmp_path / 'textures' / 'notes.txt').write_text('not an image')
    return str(tmp_path / 'textures'), images


def test_no_blend_keeps_the_foreground_and_fills_gray(tiny_synthetic_cub):
    info = sample(tiny_synthetic_cub)
    fg, mask = info['img'].copy(), info['fg_mask'].astype(bool)
    t = build(prob=1.0, background=dict(type='gray'))
    np.random.seed(0)
    levels = set()
    for _ in range(5):
        out = t(dict(info))
        rec = out['copy_paste']
        assert rec['pasted'] and rec['blending'] == 'none'
        img = out['img']
        assert img.shape == fg.shape and img.dtype == np.uint8
        # foreground pixels (mask = 1) unchanged
        assert np.array_equal(img[mask], fg[mask])
        # background pixels: the recorded gray level, everywhere
        level = int(rec['background'].split(':')[1])
        assert np.all(img[~mask] == level)
        levels.add(level)
    assert len(levels) > 1  # a random level per paste


def test_background_pixels_come_from_the_drawn_texture(tiny_synthetic_cub,
                                                       tmp_path):
    root, textures = texture_folder(tmp_path)
    info = sample(tiny_synthetic_cub)
    mask = info['fg_mask'].astype(bool)
    t = build(prob=1.0, background=dict(type='folder', root=root))
    # the .txt file is not an image
    assert len(t.background_source.datasets()[0]) == 3
    np.random.seed(0)
    used = set()
    for _ in range(12):
        out = t(dict(info))
        path = out['copy_paste']['background']
        assert np.array_equal(out['img'][~mask], textures[path][~mask])
        assert np.array_equal(out['img'][mask], info['img'][mask])
        used.add(path)
    assert len(used) > 1


def test_background_pixels_come_from_another_dataset(tiny_synthetic_cub):
    info = sample(tiny_synthetic_cub)
    mask = info['fg_mask'].astype(bool)
    t = build(
        prob=1.0,
        background=dict(
            type='dataset',
            dataset=dict(
                type='UnlabeledImageFolder',
                data_root=tiny_synthetic_cub,
                data_prefix='images')))
    np.random.seed(1)
    for _ in range(5):
        out = t(dict(info))
        path = out['copy_paste']['background']
        assert path != info['img_path'] and path.endswith('.jpg')
        # the synthetic images are 64 px, as the foreground: no resize
        assert np.array_equal(out['img'][~mask], mmcv.imread(path)[~mask])


def test_a_union_of_datasets_is_drawn_from_uniformly(tiny_synthetic_cub,
                                                     tmp_path):
    info = sample(tiny_synthetic_cub)
    root, textures = texture_folder(tmp_path, n=24)
    t = build(
        prob=1.0,
        background=dict(
            type='dataset',
            dataset=[
                dict(type='CUBWithBoxes', data_root=tiny_synthetic_cub),
                dict(type='UnlabeledImageFolder', data_root=root)
            ]))
    np.random.seed(0)
    drawn = [t(dict(info))['copy_paste']['background'] for _ in range(200)]
    from_textures = np.mean([p in textures for p in drawn])
    # 16 training images of the synthetic set and 24 textures
    assert 0.5 < from_textures < 0.7
    assert info['img_path'] not in drawn
    empty = tmp_path / 'empty'
    empty.mkdir()
    t = build(
        prob=1.0,
        background=dict(
            type='dataset',
            dataset=dict(type='UnlabeledImageFolder', data_root=str(empty))))
    # the folder dataset itself refuses an empty folder, naming it
    with pytest.raises(FileNotFoundError, match=str(empty)):
        t(dict(info))


def test_larger_backgrounds_are_resized_to_cover(tiny_synthetic_cub, tmp_path):
    root, _ = texture_folder(tmp_path, n=1, size=(50, 200))
    info = sample(tiny_synthetic_cub)
    out = build(
        prob=1.0, background=dict(type='folder', root=root))(
            dict(info))
    assert out['img'].shape == info['img'].shape


def test_prob_zero_is_the_identity_and_one_always_pastes(tiny_synthetic_cub):
    info = sample(tiny_synthetic_cub)
    never, always = build(prob=0.), build(prob=1.)
    np.random.seed(0)
    for _ in range(20):
        out = never(dict(info))
        assert out['img'] is info['img'] and not out['copy_paste']['pasted']
        out = always(dict(info))
        assert out['copy_paste']['pasted']
        assert not np.array_equal(out['img'], info['img'])
    half = build(prob=0.5)
    pasted = [half(dict(info))['copy_paste']['pasted'] for _ in range(400)]
    assert 0.4 < np.mean(pasted) < 0.6


def test_gaussian_and_mixed_blending(tiny_synthetic_cub):
    info = sample(tiny_synthetic_cub)
    fg = info['img'].astype(int)
    t = build(prob=1.0, blending='gaussian', blur_sigma_ratio=0.03)
    np.random.seed(0)
    out = t(dict(info))
    level = int(out['copy_paste']['background'].split(':')[1])
    img = out['img'].astype(int)
    # per pixel between the two sources
    assert np.all(img >= np.minimum(fg, level))
    assert np.all(img <= np.maximum(fg, level))
    # the border is really blended: some pixels on neither source
    mask = info['fg_mask'].astype(bool)
    changed_inside = np.any(img[mask] != fg[mask], axis=1).mean()
    assert 0 < changed_inside < 1

    mix = build(prob=1.0, blending='mix')
    kinds = [mix(dict(info))['copy_paste']['blending'] for _ in range(40)]
    assert set(kinds) == {'none', 'gaussian'}


def test_empty_mask_leaves_the_image_and_is_counted(tiny_synthetic_cub):
    info = sample(tiny_synthetic_cub)
    info['fg_mask'] = np.zeros_like(info['fg_mask'])
    t = build(prob=1.0)
    logger = MMLogger.get_current_instance()
    with mock.patch.object(logger, 'warning') as warning:
        for _ in range(4):
            out = t(dict(info))
            assert out['img'] is info['img']
            assert out['copy_paste'] == dict(pasted=False, reason='empty_mask')
    assert (t.num_empty, t.num_pastes) == (4, 4)
    # logged at the 1st, 2nd and 4th empty mask (doubling)
    assert warning.call_count == 3
    assert '4 of 4' in warning.call_args[0][0]
    assert info['img_path'] in warning.call_args[0][0]


def test_mask_of_another_size_is_resized(tiny_synthetic_cub):
    info = sample(tiny_synthetic_cub)
    small = info['fg_mask'][::2, ::2]  # 32 x 32
    out = build(prob=1.0)(dict(info, fg_mask=small))
    assert out['fg_mask'].shape == (64, 64)
    mask = out['fg_mask'].astype(bool)
    assert np.array_equal(out['img'][mask], info['img'][mask])
    assert np.mean(mask == info['fg_mask'].astype(bool)) > 0.95


def test_bad_configs_and_missing_mask(tiny_synthetic_cub, tmp_path):
    empty = tmp_path / 'empty_textures'
    empty.mkdir()
    (empty / 'readme.txt').write_text('no images here')
    with pytest.raises(
            FileNotFoundError,
            match='background.root: No image .* found under .*empty_textures'):
        build(background=dict(type='folder', root=str(empty)))
    with pytest.raises(FileNotFoundError, match='nowhere'):
        build(background=dict(type='folder', root=str(tmp_path / 'nowhere')))
    with pytest.raises(ValueError, match='background.type'):
        build(background=dict(type='magic'))
    with pytest.raises(ValueError, match='takes'):
        build(background=dict(type='gray', root='x'))
    with pytest.raises(ValueError, match='blending'):
        build(blending='alpha')
    with pytest.raises(ValueError, match='prob'):
        build(prob=1.5)
    info = sample(tiny_synthetic_cub)
    del info['fg_mask']
    with pytest.raises(KeyError, match='LoadSaliencyMask'):
        build(prob=1.0)(info)


def alpha_from_paste(out, fg_value=255):
    """The opacity the paste used, read back from a white foreground on a
    gray level: img = a * 255 + (1 - a) * level."""
    level = int(out['copy_paste']['background'].split(':')[1])
    return (out['img'][..., 0].astype(float) - level) / (fg_value - level)


@pytest.mark.parametrize('size', [48, 96])
def test_fixed_blur_sigma_in_pixels_at_any_image_size(size):
    """blur_sigma=5 (the authors' PIL GaussianBlur(5)): the opacity is the
    mask blurred with sigma 5 px whatever the image size, checked against
    scipy's Gaussian filter (replicated border, 4 sigma kernel as cv2)."""
    from scipy.ndimage import gaussian_filter
    mask = np.zeros((size, size), np.uint8)
    mask[size // 4:size * 3 // 4, size // 3:size * 2 // 3] = 1
    info = dict(img=np.full((size, size, 3), 255, np.uint8), fg_mask=mask)
    t = build(
        prob=1.0,
        blending='gaussian',
        blur_sigma=5,
        background=dict(type='gray', level_range=(0, 60)))
    np.random.seed(0)
    got = alpha_from_paste(t(dict(info)))
    want = gaussian_filter(mask.astype(float), 5, mode='nearest', truncate=4.0)
    np.testing.assert_allclose(got, want, atol=2.5 / 195)


def test_saliency_map_as_soft_alpha(tiny_synthetic_cub):
    """alpha_source='saliency': the continuous map is the opacity (no
    blending), from LoadSaliencyMask(soft_key=...); checked pixel by pixel."""
    info = sample(tiny_synthetic_cub)
    h, w = info['img'].shape[:2]
    load = TRANSFORMS.build(
        dict(
            type='LoadSaliencyMask',
            source=dict(kind='detector', method='spectral_residual'),
            soft_key='fg_saliency'))
    info = load(dict(info))
    soft = info['fg_saliency']
    assert soft.dtype == np.float32 and soft.shape == (h, w)
    assert 0 <= soft.min() and soft.max() <= 1
    assert ((soft > 0.05) & (soft < 0.95)).sum() > 20  # continuous
    # the mask is the binarised map, as LoadSaliencyMask without soft_key
    plain = TRANSFORMS.build(
        dict(
            type='LoadSaliencyMask',
            source=dict(kind='detector', method='spectral_residual')))
    np.testing.assert_array_equal(info['fg_mask'],
                                  plain(dict(info))['fg_mask'])
    t = build(
        prob=1.0,
        alpha_source='saliency',
        background=dict(type='gray', level_range=(0, 60)))
    np.random.seed(0)
    # a white foreground, so the opacity can be read back from the paste
    out = t(dict(info, img=np.full((h, w, 3), 255, np.uint8)))
    np.testing.assert_allclose(alpha_from_paste(out), soft, atol=0.6 / 195)
    with pytest.raises(KeyError, match='soft_key'):
        t(dict(sample(tiny_synthetic_cub)))
    with pytest.raises(ValueError, match='alpha_source'):
        build(alpha_source='soft')
    with pytest.raises(ValueError, match='blur_sigma'):
        build(blur_sigma=0)
