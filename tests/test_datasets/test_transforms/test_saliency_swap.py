"""SaliencySwap and MultiViewWithMask on the synthetic CUB-format set."""
import os.path as osp

import mmcv
import numpy as np
import pytest
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmpretrain.registry import TRANSFORMS

from mmfgssl.datasets import CUBWithBoxes, SaliencySwap
from mmfgssl.datasets.background_source import BackgroundSource
from mmfgssl.datasets.transforms.functional import integer_box

S = 48


@pytest.fixture(autouse=True)
def mmpretrain_scope():
    """mmcv's wrappers (RandomApply) build their transforms in the default
    scope, which configs set to mmpretrain."""
    init_default_scope('mmpretrain')


def cub_cfg(root):
    return dict(type='CUBWithBoxes', data_root=root, split='train')


def load_sample(root, index=0):
    ds = CUBWithBoxes(root, split='train', pipeline=[])
    info = ds.get_data_info(index)
    info['img'] = mmcv.imread(info['img_path'])
    info['img_shape'] = info['ori_shape'] = info['img'].shape[:2]
    return info


def swap(root, **kwargs):
    kwargs.setdefault('backgrounds', dict(dataset=cub_cfg(root)))
    return TRANSFORMS.build(dict(type='SaliencySwap', scale=S, **kwargs))


def resized_patch(fg_img, record, interpolation='bilinear'):
    """The foreground patch cut and resized independently of the
    transform."""
    x1, y1, x2, y2 = record['patch']
    q = record['paste']
    return mmcv.imresize(
        fg_img[y1:y2, x1:x2], (q[2] - q[0], q[3] - q[1]),
        interpolation=interpolation)


def test_mode_one_replaces_the_background_box(tiny_synthetic_cub):
    np.random.seed(0)
    t = swap(tiny_synthetic_cub, crop_ratio_range=(0.5, 1.0))
    sample = load_sample(tiny_synthetic_cub)
    fg_img = sample['img'].copy()
    fg_box = integer_box(sample['gt_bboxes'][0], 64, 64)
    infos = {
        i['img_path']: i
        for i in CUBWithBoxes(tiny_synthetic_cub, split='train',
                              pipeline=[]).load_data_list()
    }
    for _ in range(10):
        out = t(dict(sample))
        rec = out['saliency_swap']
        img, mask = out['img'], out['gt_seg_map']
        assert img.shape == (S, S, 3) and out['img_shape'] == (S, S)
        # the patch lies in the foreground box, with area ratio in [0.5, 1]
        x1, y1, x2, y2 = rec['patch']
        assert fg_box[0] <= x1 < x2 <= fg_box[2]
        assert fg_box[1] <= y1 < y2 <= fg_box[3]
        area = (fg_box[2] - fg_box[0]) * (fg_box[3] - fg_box[1])
        assert 0.5 * area - (x2 - x1 + y2 - y1) <= (x2 - x1) * (y2 - y1)
        # the paste region is the background's own box, scaled to S x S
        assert rec['mode'] == 'replace_box'
        assert rec['background'] != sample['img_path']
        bg_info = infos[rec['background']]
        bg = mmcv.imread(rec['background'])
        sx, sy = S / bg.shape[1], S / bg.shape[0]
        expected = integer_box(bg_info['gt_bboxes'][0] * [sx, sy, sx, sy], S,
                               S)
        assert tuple(rec['paste']) == expected
        q = rec['paste']
        # pasted pixels equal the resized foreground patch
        np.testing.assert_array_equal(img[q[1]:q[3], q[0]:q[2]],
                                      resized_patch(fg_img, rec))
        # everywhere else: the resized background
        inside = np.zeros((S, S), bool)
        inside[q[1]:q[3], q[0]:q[2]] = True
        bg_small = mmcv.imresize(bg, (S, S))
        np.testing.assert_array_equal(img[~inside], bg_small[~inside])
        # the mask is exactly the pasted region
        np.testing.assert_array_equal(mask.astype(bool), inside)
        np.testing.assert_array_equal(out['gt_bboxes'], [q])


def test_mode_two_pastes_on_gray_rgba_and_tiny_backgrounds(
        tiny_synthetic_cub, tmp_path):
    folder = tmp_path / 'backgrounds'
    folder.mkdir()
    rng = np.random.default_rng(0)
    mmcv.imwrite(
        rng.integers(0, 255, (30, 40), np.uint8), str(folder / 'gray.png'))
    mmcv.imwrite(
        rng.integers(0, 255, (50, 30, 4), np.uint8), str(folder / 'rgba.png'))
    mmcv.imwrite(
        rng.integers(0, 255, (6, 5, 3), np.uint8),
        str(folder / 'tiny.jpg'))  # smaller than the patch
    t = swap(
        tiny_synthetic_cub,
        backgrounds=dict(
            dataset=dict(type='UnlabeledImageFolder', data_root=str(folder)),
            mode='paste'),
        paste_ratio_range=(0.3, 1.0))
    sample = load_sample(tiny_synthetic_cub, 3)
    fg_img = sample['img'].copy()
    np.random.seed(1)
    seen = set()
    for _ in range(30):
        out = t(dict(sample))
        rec = out['saliency_swap']
        seen.add(osp.basename(rec['background']))
        q = rec['paste']
        assert out['img'].shape == (S, S, 3)
        ratio = (q[2] - q[0]) * (q[3] - q[1]) / S**2
        assert 0.3 - 2 * 2 * S / S**2 <= ratio <= 1.0
        np.testing.assert_array_equal(out['img'][q[1]:q[3], q[0]:q[2]],
                                      resized_patch(fg_img, rec))
        assert out['gt_seg_map'].sum() == (q[2] - q[0]) * (q[3] - q[1])
        assert out['gt_seg_map'][q[1]:q[3], q[0]:q[2]].all()
    assert seen == {'gray.png', 'rgba.png', 'tiny.jpg'}


@pytest.mark.parametrize('channels', [None, 1, 4])
def test_gray_and_rgba_foregrounds(tiny_synthetic_cub, channels):
    sample = load_sample(tiny_synthetic_cub)
    img = sample['img']
    if channels is None:
        sample['img'] = img[..., 1]
    elif channels == 1:
        sample['img'] = img[..., 1:2]
    else:
        sample['img'] = np.concatenate([img, img[..., :1]], 2)
    out = swap(tiny_synthetic_cub)(sample)
    assert out['img'].shape == (S, S, 3)


def test_box_touching_the_border(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    sample['gt_bboxes'] = np.array([[40., 0., 64., 64.]], np.float32)
    t = swap(tiny_synthetic_cub)
    np.random.seed(2)
    for _ in range(20):
        out = t(dict(sample))
        x1, y1, x2, y2 = out['saliency_swap']['patch']
        assert 40 <= x1 < x2 <= 64 and 0 <= y1 < y2 <= 64


def test_reproducible_with_a_seed(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    t = swap(tiny_synthetic_cub)
    runs = []
    for _ in range(2):
        np.random.seed(123)
        runs.append([t(dict(sample)) for _ in range(4)])
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a['img'], b['img'])
        np.testing.assert_array_equal(a['gt_seg_map'], b['gt_seg_map'])
        assert a['saliency_swap'] == b['saliency_swap']
    # and the draws do differ from one call to the next
    assert len({str(r['saliency_swap']) for r in runs[0]}) > 1


def test_sample_without_box_and_no_saliency_source(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    del sample['gt_bboxes']
    with pytest.raises(KeyError) as e:
        swap(tiny_synthetic_cub)(sample)
    assert sample['img_path'] in str(e.value)
    assert 'SaliencySwap.box_source' in str(e.value)


def test_constant_saliency_falls_back_to_whole_image(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    sample['img'] = np.full((64, 64, 3), 90, np.uint8)
    t = swap(
        tiny_synthetic_cub,
        box_source=dict(kind='detector', method='background_prior'))
    logger = MMLogger.get_instance('test_saliency_swap')
    messages = []
    logger.warning = messages.append  # instance attribute, this logger only
    MMLogger._instance_dict.move_to_end('test_saliency_swap')
    np.random.seed(0)
    patches = [t(dict(sample))['saliency_swap']['patch'] for _ in range(5)]
    # the whole 64 x 64 image is the box: patches spread beyond any object
    assert t.box_source.num_fallbacks == 5 and t.box_source.num_boxes == 5
    assert all(0 <= p[0] and p[2] <= 64 for p in patches)
    # warnings at the 1st, 2nd and 4th fallback (then the 8th, 16th, ...)
    assert len(messages) == 3 and '4 of 4' in messages[2]
    assert sample['img_path'] in messages[0]


def test_saliency_map_on_disk(tiny_synthetic_cub, tmp_path):
    sample = load_sample(tiny_synthetic_cub)
    img_root = osp.join(tiny_synthetic_cub, 'images')
    rel = osp.relpath(sample['img_path'], img_root)
    sal = np.zeros((64, 64), np.uint8)
    sal[10:30, 20:50] = 255
    mmcv.imwrite(sal, str(tmp_path / (osp.splitext(rel)[0] + '.png')))
    t = swap(
        tiny_synthetic_cub,
        backgrounds=dict(
            dataset=cub_cfg(tiny_synthetic_cub), box_source=dict(kind='gt')),
        box_source=dict(
            kind='saliency_map', root=str(tmp_path), img_root=img_root))
    np.random.seed(0)
    for _ in range(10):
        x1, y1, x2, y2 = t(dict(sample))['saliency_swap']['patch']
        assert 20 <= x1 < x2 <= 50 and 10 <= y1 < y2 <= 30
    other = load_sample(tiny_synthetic_cub, 1)
    with pytest.raises(FileNotFoundError, match='No saliency map'):
        t(other)


def test_bad_configs(tiny_synthetic_cub):
    with pytest.raises(ValueError, match='backgrounds'):
        SaliencySwap(scale=S, backgrounds=[])
    with pytest.raises(ValueError, match=r'backgrounds\[0\].mode'):
        SaliencySwap(
            scale=S,
            backgrounds=dict(dataset=cub_cfg(tiny_synthetic_cub), mode='x'))
    with pytest.raises(ValueError, match='crop_ratio_range'):
        swap(tiny_synthetic_cub, crop_ratio_range=(0., 1.))
    with pytest.raises(ValueError, match='box_source.kind'):
        swap(tiny_synthetic_cub, box_source=dict(kind='oracle'))
    with pytest.raises(
            ValueError,
            match="box_source: 'map_root' is now 'root'; "
            "'map_suffix' is now 'suffix'; 'type' is now 'kind'$"):
        swap(
            tiny_synthetic_cub,
            box_source=dict(
                type='saliency_map',
                map_root='m',
                map_suffix='.jpg',
                img_root='i'))


def view_pipeline(root, flip_prob=1.0):
    return [
        dict(
            type='SaliencySwap',
            scale=S,
            backgrounds=dict(dataset=cub_cfg(root))),
        dict(
            type='RandomApply',
            transforms=[
                dict(
                    type='ColorJitter',
                    brightness=0.4,
                    contrast=0.4,
                    saturation=0.4,
                    hue=0.1)
            ],
            prob=1.0),
        dict(type='RandomGrayscale', prob=0.5, keep_channels=True),
        dict(
            type='GaussianBlur',
            magnitude_range=(0.1, 2.0),
            magnitude_std='inf',
            prob=0.5),
        dict(type='RandomFlip', prob=flip_prob),
    ]


def two_views(pipeline):
    """``MultiViewWithMask`` making 2 views, each through ``pipeline``."""
    return TRANSFORMS.build(
        dict(type='MultiViewWithMask', num_views=2, transforms=[pipeline]))


def test_views_keep_their_masks_through_flip(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    fg_img = sample['img'].copy()
    no_colour = [view_pipeline(tiny_synthetic_cub)[i] for i in (0, 4)]
    t = two_views(no_colour)
    np.random.seed(0)
    # the transform records are not returned: recompute them with the seed
    out = t(dict(sample))
    assert len(out['img']) == len(out['saliency_mask']) == 2
    np.random.seed(0)
    swap_t = t.transforms[0].transforms[0]
    flip_t = t.transforms[0].transforms[1]
    for view in range(2):
        rec = swap_t(dict(sample))
        flip_t(rec)  # keeps the random stream in step
        q = rec['saliency_swap']['paste']
        mask = out['saliency_mask'][view]
        expected = np.zeros((S, S), np.uint8)
        # flipped horizontally: columns S - x2 .. S - x1
        expected[q[1]:q[3], S - q[2]:S - q[0]] = 1
        np.testing.assert_array_equal(mask, expected)
        patch = resized_patch(fg_img, rec['saliency_swap'])
        np.testing.assert_array_equal(
            out['img'][view][q[1]:q[3], S - q[2]:S - q[0]], patch[:, ::-1])


def test_colour_ops_leave_the_mask_alone(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    np.random.seed(4)
    out = swap(tiny_synthetic_cub)(dict(sample))
    img, mask = out['img'].copy(), out['gt_seg_map'].copy()
    colour_ops = [
        dict(
            type='ColorJitter',
            brightness=0.4,
            contrast=0.4,
            saturation=0.4,
            hue=0.1),
        dict(type='RandomGrayscale', prob=1.0, keep_channels=True),
        dict(
            type='GaussianBlur',
            magnitude_range=(0.1, 2.0),
            magnitude_std='inf',
            prob=1.0),
    ]
    for t in colour_ops:
        out = TRANSFORMS.build(t)(out)
    assert not np.array_equal(out['img'], img)  # the colours did change
    np.testing.assert_array_equal(out['gt_seg_map'], mask)
    np.testing.assert_array_equal(out['gt_bboxes'],
                                  [out['saliency_swap']['paste']])


def test_packinputs_carries_the_masks(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    pipeline = [
        two_views(view_pipeline(tiny_synthetic_cub)),
        TRANSFORMS.build(
            dict(type='PackInputs', algorithm_keys=['saliency_mask']))
    ]
    results = dict(sample)
    for t in pipeline:
        results = t(results)
    masks = results['data_samples'].saliency_mask
    assert len(masks) == 2 and all(m.shape == (S, S) for m in masks)
    assert [tuple(v.shape) for v in results['inputs']] == [(3, S, S)] * 2


def test_mask_unaware_geometric_op_is_an_error(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    t = two_views([
        view_pipeline(tiny_synthetic_cub)[0],
        dict(type='RandomResizedCrop', scale=32)
    ])
    with pytest.raises(ValueError, match='does not move'):
        t(dict(sample))
    no_mask = two_views([dict(type='RandomResizedCrop', scale=32)])
    with pytest.raises(KeyError, match='SaliencySwap'):
        no_mask(dict(sample))


def test_resize_moves_the_mask(tiny_synthetic_cub):
    sample = load_sample(tiny_synthetic_cub)
    t = two_views([
        view_pipeline(tiny_synthetic_cub)[0],
        dict(type='Resize', scale=(32, 24))
    ])
    np.random.seed(5)
    out = t(dict(sample))
    np.random.seed(5)
    for view in range(2):
        q = t.transforms[0].transforms[0](
            dict(sample))['saliency_swap']['paste']
        mask = out['saliency_mask'][view]
        assert mask.shape == (24, 32) == out['img'][view].shape[:2]
        ys, xs = np.nonzero(mask)
        # the pasted region scaled by 32/48 and 24/48, to the nearest pixel
        np.testing.assert_allclose(
            [xs.min(), ys.min(),
             xs.max() + 1, ys.max() + 1],
            np.array(q) * [32 / S, 24 / S, 32 / S, 24 / S],
            atol=1.0)


def test_in_batch_backgrounds_swap_held_images_without_decoding(
        tiny_synthetic_cub, monkeypatch):
    """``dict(recent=N)``: the background of a view is one of the last N
    foregrounds, with its own box (mode I), and nothing is read from disk."""
    np.random.seed(0)
    t = swap(
        tiny_synthetic_cub,
        backgrounds=dict(recent=3, mode='replace_box'),
        crop_ratio_range=(0.5, 1.0))

    def no_decode(self, path):
        raise AssertionError(f'decoded {path}')

    monkeypatch.setattr(BackgroundSource, 'load', no_decode)
    samples = [load_sample(tiny_synthetic_cub, i) for i in range(5)]
    first = t(dict(samples[0], img=samples[0]['img'].copy()))
    # nothing held yet: the image is its own background, and counted
    assert first['saliency_swap']['background'] == samples[0]['img_path']
    assert t.num_self_backgrounds == 1
    # the second view of the same sample holds no new image
    t(dict(samples[0], img=samples[0]['img'].copy()))
    assert t.num_self_backgrounds == 2
    assert [h[0] for h in t._held] == [samples[0]['img_path']]
    seen = set()
    for i in range(1, 5):
        held_before = [h[0] for h in t._held]
        out = t(dict(samples[i], img=samples[i]['img'].copy()))
        bg_path = out['saliency_swap']['background']
        assert bg_path in held_before and bg_path != samples[i]['img_path']
        seen.add(bg_path)
        # mode I: pasted over the background's own box scaled to S
        bg = next(s for s in samples if s['img_path'] == bg_path)
        h, w = bg['img'].shape[:2]
        expect = integer_box(
            bg['gt_bboxes'][0] * np.array([S / w, S / h, S / w, S / h]), S, S)
        assert tuple(out['saliency_swap']['paste']) == tuple(expect)
        # outside the pasted region the view is the resized background
        x1, y1, x2, y2 = expect
        resized_bg = mmcv.imresize(bg['img'], (S, S))
        outside = np.ones((S, S), bool)
        outside[y1:y2, x1:x2] = False
        np.testing.assert_array_equal(out['img'][outside], resized_bg[outside])
        assert out['gt_seg_map'][~outside].all()
        assert not out['gt_seg_map'][outside].any()
    assert t.num_self_backgrounds == 2
    assert len(t._held) == 3  # the newest three distinct images
    assert [h[0] for h in t._held] == [s['img_path'] for s in samples[2:]]
    # the held images were not changed by the views made from them
    for path, img, _ in t._held:
        src = next(s for s in samples if s['img_path'] == path)
        np.testing.assert_array_equal(img, src['img'])


def test_in_batch_backgrounds_bad_configs(tiny_synthetic_cub):
    with pytest.raises(ValueError, match='only background entry'):
        swap(
            tiny_synthetic_cub,
            backgrounds=[
                dict(recent=4),
                dict(dataset=cub_cfg(tiny_synthetic_cub))
            ])
    with pytest.raises(ValueError, match='positive int'):
        swap(tiny_synthetic_cub, backgrounds=dict(recent=0))
    with pytest.raises(ValueError, match=r'dict\(recent=N'):
        swap(
            tiny_synthetic_cub,
            backgrounds=dict(recent=2, dataset=cub_cfg(tiny_synthetic_cub)))


def test_fused_background_sets_uniform_over_union_or_by_weight(
        tiny_synthetic_cub, tmp_path):
    """Two background sets of 2 and 8 images: drawn uniformly from their
    union (default), a background comes from the small one 2 / 10 of the
    time; with weights 1 : 1, half of the time; chi-square tests."""
    from scipy import stats
    folders = {}
    rng = np.random.default_rng(0)
    for name, num in (('small', 2), ('large', 8)):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(num):
            mmcv.imwrite(
                rng.integers(0, 255, (20, 20, 3), np.uint8),
                str(folder / f'{name}{i}.png'))
        folders[name] = str(folder)

    def share_small(weights):
        backgrounds = [
            dict(
                dataset=dict(type='UnlabeledImageFolder', data_root=folder),
                mode='paste',
                **({} if weights is None else dict(weight=w)))
            for folder, w in zip(folders.values(), weights or (None, None))
        ]
        t = swap(tiny_synthetic_cub, backgrounds=backgrounds)
        sample = load_sample(tiny_synthetic_cub, 0)
        np.random.seed(3)
        small = sum('small' in osp.basename(
            t(dict(sample))['saliency_swap']['background'])
                    for _ in range(400))
        return small

    for weights, p in ((None, 0.2), ((1., 1.), 0.5), ((3., 1.), 0.75)):
        small = share_small(weights)
        chi = stats.chisquare([small, 400 - small], [400 * p, 400 * (1 - p)])
        assert chi.pvalue > 1e-3, (weights, small)
    with pytest.raises(ValueError, match='every background entry or to none'):
        swap(
            tiny_synthetic_cub,
            backgrounds=[
                dict(dataset=cub_cfg(tiny_synthetic_cub), weight=1.),
                dict(dataset=cub_cfg(tiny_synthetic_cub))
            ])
    with pytest.raises(ValueError, match=r'backgrounds\[0\].weight'):
        swap(
            tiny_synthetic_cub,
            backgrounds=[dict(dataset=cub_cfg(tiny_synthetic_cub), weight=0)])
