# Copyright (c) OpenMMLab. All rights reserved.
import hashlib
import os
import os.path as osp
import re

import numpy as np
import pytest
from PIL import Image

from mmfgssl.datasets.synthetic_cub import (ATTRIBUTES, class_attributes,
                                            make_synthetic_cub, render_sample)

ARGS = dict(num_classes=4, train_per_class=3, test_per_class=2, img_size=64)


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('cub') / 'seed0')
    make_synthetic_cub(out, seed=0, **ARGS)
    return out


def tree_hashes(root):
    hashes = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                hashes[osp.relpath(path, root)] = hashlib.sha256(
                    f.read()).hexdigest()
    return hashes


def read_table(root, name, num_fields):
    """Parse ``<id> <field>...`` lines; ids must be 1, 2, 3, ..."""
    with open(osp.join(root, name)) as f:
        rows = [line.rstrip('\n').split(' ') for line in f]
    assert all(len(row) == num_fields + 1 for row in rows), name
    assert [row[0] for row in rows] == [str(i + 1) for i in range(len(rows))]
    return [row[1:] for row in rows]


def load(root):
    """Images, masks and annotations of a generated set, checked loosely."""
    paths = [row[0] for row in read_table(root, 'images.txt', 1)]
    labels = [
        int(row[0]) for row in read_table(root, 'image_class_labels.txt', 1)
    ]
    split = [
        int(row[0]) for row in read_table(root, 'train_test_split.txt', 1)
    ]
    boxes = read_table(root, 'bounding_boxes.txt', 4)
    images, masks = [], []
    for path in paths:
        with Image.open(osp.join(root, 'images', path)) as img:
            assert img.format == 'JPEG' and img.mode == 'RGB'
            images.append(np.asarray(img))
        with Image.open(osp.join(root, 'segmentations',
                                 path[:-3] + 'png')) as m:
            assert m.format == 'PNG' and m.mode == 'L'
            masks.append(np.asarray(m))
    return paths, np.array(labels), np.array(split), boxes, images, masks


def test_deterministic(root, tmp_path):
    make_synthetic_cub(str(tmp_path / 'again'), seed=0, **ARGS)
    make_synthetic_cub(str(tmp_path / 'other'), seed=1, **ARGS)
    hashes = tree_hashes(root)
    assert len(hashes) == 4 * 5 * 2 + 6
    assert tree_hashes(str(tmp_path / 'again')) == hashes
    other = tree_hashes(str(tmp_path / 'other'))
    assert other.keys() == hashes.keys()
    changed = {k for k in hashes if other[k] != hashes[k]}
    assert {k for k in hashes if k.endswith(('.jpg', '.png'))} <= changed


def test_cub_format(root):
    paths, labels, split, boxes, images, masks = load(root)
    classes = read_table(root, 'classes.txt', 1)
    assert len(classes) == 4 and len(paths) == 4 * 5
    for i, (name, ) in enumerate(classes):
        assert re.fullmatch(rf'{i + 1:03d}\.[A-Za-z]+(_[A-Za-z]+)*', name)
    for path, label in zip(paths, labels):
        folder, file = path.split('/')
        assert folder == classes[label - 1][0]
        assert re.fullmatch(re.escape(folder[4:]) + r'_\d{4}\.jpg', file)
    assert set(labels) == {1, 2, 3, 4} and set(split) == {0, 1}
    for c in range(1, 5):
        assert split[labels == c].tolist().count(1) == 3
        assert split[labels == c].tolist().count(0) == 2
    for box, image, mask in zip(boxes, images, masks):
        assert image.shape == (64, 64, 3) and mask.shape == (64, 64)
        assert set(np.unique(mask)) <= {0, 255}
        assert all(re.fullmatch(r'\d+\.0', v) for v in box)
        ys, xs = np.nonzero(mask)
        tight = [
            xs.min(),
            ys.min(),
            xs.max() - xs.min() + 1,
            ys.max() - ys.min() + 1
        ]
        assert [float(v) for v in box] == tight
    with open(osp.join(root, 'README.txt')) as f:
        readme = f.read()
    assert 'SYNTHETIC' in readme and 'seed=0' in readme


@pytest.mark.parametrize('img_size', [64, 224])
def test_foreground_fraction(root, img_size):
    if img_size == 64:
        masks = load(root)[-1]
    else:
        attrs = class_attributes(3)
        masks = [
            render_sample(a, img_size, (7, c, 0))[1]
            for c, a in enumerate(attrs)
        ]
    fractions = [(m > 0).mean() for m in masks]
    assert min(fractions) > 0.05
    assert 0.10 <= np.mean(fractions) <= 0.35
    for m in masks:  # the whole object lies inside the image
        assert not (m[0].any() or m[-1].any() or m[:, 0].any()
                    or m[:, -1].any())


def test_background_carries_no_class(root):
    _, labels, _, _, images, masks = load(root)
    # Mean background colour per image: the class means may differ from the
    # grand mean only as much as the spread within classes allows.
    colours = np.array([img[m == 0].mean(0) for img, m in zip(images, masks)])
    sd = np.sqrt(
        np.mean([colours[labels == c].var(0, ddof=1) for c in range(1, 5)], 0))
    for c in range(1, 5):
        diff = colours[labels == c].mean(0) - colours.mean(0)
        assert (np.abs(diff) <= 5 * sd / np.sqrt(5)).all()
    # Rendered with one key, classes differ only inside the object: a shape
    # attribute changes the mask, a marking attribute only the pixels in it.
    base = class_attributes(1)[0]
    image, mask = render_sample(base, 96, (3, 0, 0))
    for attr in ATTRIBUTES:
        for value in ATTRIBUTES[attr]:
            other_image, other_mask = render_sample(
                dict(base, **{attr: value}), 96, (3, 0, 0))
            outside = ~(mask | other_mask)
            assert (other_image[outside] == image[outside]).all()
            if value == base[attr]:
                assert (other_image == image).all()
            elif attr in ('crest', 'beak', 'tail'):
                assert (other_mask != mask).any()
            else:
                assert (other_mask == mask).all()
                assert (other_image[mask] != image[mask]).any()


def test_class_attributes():
    attrs = class_attributes(50)
    assert len({tuple(a.values()) for a in attrs}) == 50
    assert all(a.keys() == ATTRIBUTES.keys() for a in attrs)
    # the first classes differ in at least half of the attributes
    first = [tuple(a.values()) for a in attrs[:4]]
    assert all(
        sum(x != y for x, y in zip(a, b)) >= 3 for i, a in enumerate(first)
        for b in first[i + 1:])
    with pytest.raises(ValueError):
        class_attributes(145)


def test_mmpretrain_cub(root):
    datasets = pytest.importorskip('mmpretrain.datasets')
    paths, labels, split = load(root)[:3]
    for name, flag in (('train', 1), ('test', 0)):
        dataset = datasets.CUB(data_root=root, split=name)
        assert len(dataset) == (split == flag).sum()
        assert dataset.get_gt_labels().tolist() == (labels[split == flag] -
                                                    1).tolist()
        for i, path in enumerate(np.array(paths)[split == flag]):
            info = dataset.get_data_info(i)
            assert info['img_path'] == osp.join(root, 'images', path)


def test_cub_loader_reads_the_synthetic_class_names(tiny_synthetic_cub):
    from mmfgssl.datasets import CUBWithBoxes
    folders = sorted(os.listdir(osp.join(tiny_synthetic_cub, 'images')))
    dataset = CUBWithBoxes(data_root=tiny_synthetic_cub, split='test')
    assert list(dataset.metainfo['classes']) == [f[4:] for f in folders]
    assert len(dataset) == 8
    assert {dataset.get_data_info(i)['gt_label']
            for i in range(8)} == {0, 1, 2, 3}


SHORTCUT = dict(
    num_classes=5,
    train_per_class=3,
    test_per_class=1,
    img_size=64,
    object_colour='class',
    object_scale=(0.35, 0.55))


@pytest.mark.parametrize('background', ['photo', 'texture'])
def test_shortcut_set_class_lives_only_in_the_object(background):
    # Rendered with one key, two classes share every background pixel: the
    # background carries no class.
    attrs = class_attributes(3)
    for n in range(3):
        renders = [
            render_sample(a, 64, (5, 0, n), background=background, hue=0.3)
            for a in attrs
        ]
        for (img_a, mask_a), (img_b, mask_b) in zip(renders, renders[1:]):
            outside = ~(mask_a | mask_b)
            assert outside.mean() > 0.5
            assert (img_a[outside] == img_b[outside]).all()


@pytest.mark.parametrize('background', ['photo', 'texture'])
def test_shortcut_backgrounds_are_unique_and_salient(background, tmp_path):
    root = str(tmp_path / background)
    make_synthetic_cub(root, background=background, **SHORTCUT)
    _, labels, _, _, images, masks = load(root)
    backs = [img.astype(float) for img in images]
    keep = [m == 0 for m in masks]
    # salient: a contrasted background (gray-level std within the image)
    for img, k in zip(backs, keep):
        assert img[k].mean(1).std() > 12
    # unique: any two images differ on the pixels both call background
    # far more than the JPEG noise
    for i in range(len(backs)):
        for j in range(i + 1, len(backs)):
            both = keep[i] & keep[j]
            assert np.abs(backs[i][both] - backs[j][both]).mean() > 10
    with open(osp.join(root, 'README.txt')) as f:
        readme = f.read()
    assert f'{background} background' in readme and \
        'hue of the object belongs to its class' in readme


def circular_mean_hue(pixels):
    import colorsys
    hues = np.array(
        [colorsys.rgb_to_hsv(*(p / 255.))[0] for p in pixels.astype(float)])
    angle = np.angle(np.exp(2j * np.pi * hues).mean())
    return (angle / (2 * np.pi)) % 1.


def test_object_colour_class_fixes_the_body_hue(tmp_path):
    root = str(tmp_path / 'hue')
    make_synthetic_cub(root, background='photo', **SHORTCUT)
    _, labels, _, _, images, masks = load(root)
    for label, img, mask in zip(labels, images, masks):
        # eroded object pixels, away from JPEG edges; the body and the parts
        # shaded from it dominate
        inner = mask > 0
        inner = inner & np.roll(inner, 2, 0) & np.roll(inner, -2, 0) & \
            np.roll(inner, 2, 1) & np.roll(inner, -2, 1)
        hue = circular_mean_hue(img[inner])
        want = (label - 1) / SHORTCUT['num_classes']
        assert min(abs(hue - want), 1 - abs(hue - want)) < 0.1, (label, hue)


def test_object_scale_and_bad_arguments(tmp_path):
    attrs = class_attributes(1)[0]
    small = [
        render_sample(attrs, 96, (1, 0, n),
                      object_scale=(0.25, 0.3))[1].mean() for n in range(4)
    ]
    large = [
        render_sample(attrs, 96, (1, 0, n), object_scale=(0.6, 0.7))[1].mean()
        for n in range(4)
    ]
    assert max(small) < min(large)
    with pytest.raises(ValueError, match='background must be one of'):
        render_sample(attrs, 64, (0, 0, 0), background='sky')
    with pytest.raises(ValueError, match='object_scale'):
        render_sample(attrs, 64, (0, 0, 0), object_scale=(0.6, 0.3))
    with pytest.raises(ValueError, match='object_colour'):
        make_synthetic_cub(str(tmp_path), object_colour='blue')


def test_cli_writes_the_shortcut_set(tmp_path):
    import sys

    from tool_runs import checked_call
    out = str(tmp_path / 'cli')
    checked_call([
        sys.executable, 'tools/dataset_converters/make_synthetic_cub.py', out,
        '--num-classes', '2', '--train-per-class', '2', '--test-per-class',
        '1', '--img-size', '48', '--background', 'texture', '--object-colour',
        'class', '--object-scale', '0.3', '0.4'
    ])
    direct = str(tmp_path / 'direct')
    make_synthetic_cub(
        direct,
        num_classes=2,
        train_per_class=2,
        test_per_class=1,
        img_size=48,
        background='texture',
        object_colour='class',
        object_scale=(0.3, 0.4))
    assert tree_hashes(out) == tree_hashes(direct)
