# Copyright (c) OpenMMLab. All rights reserved.
import functools

import numpy as np
import pytest
from dataset_files import (build_capturing_warnings, write_annotation_files,
                           write_lines)
from mmpretrain.registry import DATASETS
from PIL import Image

from mmfgssl.datasets import CUBWithBoxes

ALBATROSS, LAYSAN = '001.Black_footed_Albatross', '002.Laysan_Albatross'
# id: (relative path, (w, h), class id, is_train, "x y width height")
SAMPLES = {
    1: (f'{ALBATROSS}/a.jpg', (40, 30), 1, 1, '2.0 3.0 10.0 12.0'),
    2: (f'{LAYSAN}/b.jpg', (50, 20), 2, 0, '5.0 5.0 10.0 10.0'),
    # Reaches outside the 40x30 image: clipped.
    3: (f'{ALBATROSS}/c.jpg', (40, 30), 1, 1, '30 20 20 20'),
    # Half a pixel wide: degenerate, replaced by the whole image.
    4: (f'{LAYSAN}/d.jpg', (32, 24), 2, 1, '0.0 0.0 0.5 10.0'),
}


def make_cub(root, samples=SAMPLES):
    """Write a CUB-200-2011 tree with the given samples under ``root``."""
    files = dict(
        images=[],
        image_class_labels=[],
        train_test_split=[],
        bounding_boxes=[])
    for i, (path, size, label, is_train, box) in samples.items():
        img_path = root / 'images' / path
        img_path.parent.mkdir(parents=True, exist_ok=True)
        Image.new('RGB', size, (i * 40, 90, 160)).save(img_path, 'JPEG')
        files['images'].append(f'{i} {path}')
        files['image_class_labels'].append(f'{i} {label}')
        files['train_test_split'].append(f'{i} {is_train}')
        files['bounding_boxes'].append(f'{i} {box}')
    write_annotation_files(root, files)
    return root


build_with_warning = functools.partial(build_capturing_warnings, CUBWithBoxes)


def test_train_split_labels_and_boxes(tmp_path):
    root = make_cub(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='train')
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    paths = [str(root / 'images' / SAMPLES[i][0]) for i in (1, 3, 4)]
    assert [info['img_path'] for info in infos] == paths
    assert [info['gt_label'] for info in infos] == [0, 0, 1]
    for info in infos:
        assert info['gt_bboxes'].shape == (1, 4)
        assert info['gt_bboxes'].dtype == np.float32
    np.testing.assert_array_equal(infos[0]['gt_bboxes'], [[2, 3, 12, 15]])
    np.testing.assert_array_equal(infos[1]['gt_bboxes'], [[30, 20, 40, 30]])
    np.testing.assert_array_equal(infos[2]['gt_bboxes'], [[0, 0, 32, 24]])

    assert ds.num_clipped_boxes == 1
    assert ds.num_degenerate_boxes == 1
    warning.assert_called_once()
    msg = warning.call_args[0][0]
    assert 'of 3 boxes' in msg
    assert f'1 clipped (first: {root / "bounding_boxes.txt"}:3)' in msg
    assert f'1 degenerate (first: {root / "bounding_boxes.txt"}:4)' in msg


def test_test_split_no_warning(tmp_path):
    root = make_cub(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='test')
    assert len(ds) == 1
    info = ds.get_data_info(0)
    assert info['gt_label'] == 1
    np.testing.assert_array_equal(info['gt_bboxes'], [[5, 5, 15, 15]])
    assert ds.num_clipped_boxes == ds.num_degenerate_boxes == 0
    warning.assert_not_called()


def test_missing_box_file(tmp_path):
    root = make_cub(tmp_path)
    (root / 'bounding_boxes.txt').unlink()
    with pytest.raises(FileNotFoundError, match='bounding_boxes.txt'):
        CUBWithBoxes(data_root=str(root))


@pytest.mark.parametrize('name,line', [
    ('bounding_boxes.txt', '2 5.0 5.0 10.0'),
    ('bounding_boxes.txt', '2 5.0 five 10.0 10.0'),
    ('images.txt', '2'),
    ('image_class_labels.txt', '2 two'),
    ('train_test_split.txt', '2 2'),
])
def test_malformed_line(tmp_path, name, line):
    root = make_cub(tmp_path)
    lines = (root / name).read_text().splitlines()
    lines[1] = line
    write_lines(root / name, lines)
    with pytest.raises(ValueError, match=f'{name}:2: expected'):
        CUBWithBoxes(data_root=str(root))


def test_ids_differ(tmp_path):
    root = make_cub(tmp_path)
    lines = (root / 'image_class_labels.txt').read_text().splitlines()
    (root / 'image_class_labels.txt').write_text('\n'.join(lines[:-1]))
    with pytest.raises(ValueError) as e:
        CUBWithBoxes(data_root=str(root))
    assert 'images.txt' in str(e.value)
    assert 'image_class_labels.txt' in str(e.value)
    assert '[4]' in str(e.value)


def test_class_out_of_range(tmp_path):
    samples = dict(SAMPLES)
    samples[1] = samples[1][:2] + (201, ) + samples[1][3:]
    root = make_cub(tmp_path, samples)
    with pytest.raises(ValueError, match='image_class_labels.txt:1: class'):
        CUBWithBoxes(data_root=str(root))


def test_missing_image(tmp_path):
    root = make_cub(tmp_path)
    (root / 'images' / SAMPLES[3][0]).unlink()
    with pytest.raises(FileNotFoundError, match='c.jpg'):
        CUBWithBoxes(data_root=str(root))


def test_build_from_registry(tmp_path):
    root = make_cub(tmp_path)
    ds = DATASETS.build(
        dict(
            type='CUBWithBoxes',
            data_root=str(root),
            split='train',
            pipeline=[dict(type='LoadImageFromFile')]))
    assert isinstance(ds, CUBWithBoxes)
    results = ds[1]
    assert results['img'].shape == (30, 40, 3)
    assert results['gt_label'] == 0
    np.testing.assert_array_equal(results['gt_bboxes'], [[30, 20, 40, 30]])


def test_random_flip_flips_gt_bboxes(tmp_path):
    # mmcv's RandomFlip maps [x1, x2) to [w - x2, w - x1): the same
    # pixel-edge convention as ``gt_bboxes``.
    ds = DATASETS.build(
        dict(
            type='CUBWithBoxes',
            data_root=str(make_cub(tmp_path)),
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='RandomFlip', prob=1., direction='horizontal')
            ]))
    np.testing.assert_array_equal(ds[1]['gt_bboxes'], [[0, 20, 10, 30]])


def test_non_utf8_file_name_names_the_file_and_line(tmp_path):
    root = make_cub(tmp_path)
    lines = (root / 'images.txt').read_bytes().splitlines()
    lines[2] = lines[2].replace(b'c.jpg', b'c\xff.jpg')
    (root / 'images.txt').write_bytes(b'\n'.join(lines) + b'\n')
    with pytest.raises(ValueError) as e:
        CUBWithBoxes(data_root=str(root))
    assert f'{root / "images.txt"}:3: not UTF-8 text' in str(e.value)
    assert "c\\xff.jpg" in str(e.value)


def test_utf8_names_and_a_byte_order_mark_still_load(tmp_path):
    samples = dict(SAMPLES)
    samples[1] = (f'{ALBATROSS}/é.jpg', ) + SAMPLES[1][1:]
    root = make_cub(tmp_path, samples)
    text = (root / 'images.txt').read_text(encoding='utf-8')
    (root / 'images.txt').write_text('\ufeff' + text, encoding='utf-8')
    dataset = CUBWithBoxes(data_root=str(root))
    assert dataset[0]['img_path'].endswith('é.jpg')


@pytest.mark.parametrize('name', [
    'images.txt', 'image_class_labels.txt', 'train_test_split.txt',
    'bounding_boxes.txt'
])
def test_empty_annotation_file_is_named(tmp_path, name):
    root = make_cub(tmp_path)
    (root / name).write_text('\n\n')
    with pytest.raises(ValueError, match=f'{name}: no entry'):
        CUBWithBoxes(data_root=str(root))


def test_empty_split_is_named(tmp_path):
    samples = {i: s[:3] + (1, ) + s[4:] for i, s in SAMPLES.items()}
    root = make_cub(tmp_path, samples)  # every image in train
    with pytest.raises(ValueError) as e:
        CUBWithBoxes(data_root=str(root), split='test')
    assert f"CUBWithBoxes at {root}: no image in the 'test' split" in str(
        e.value)


@pytest.mark.parametrize('orientation', [1, 3, 6, 8])
def test_exif_orientation_one_rule_for_boxes_and_pixels(tmp_path, orientation):
    from mmcv.transforms import LoadImageFromFile

    # stored 40 x 30; displayed 30 x 40 for the quarter turns (tags 6, 8).
    # The box (y2 = 37) fits the displayed frame of a quarter turn only.
    samples = {1: (f'{ALBATROSS}/a.jpg', (40, 30), 1, 1, '2 3 20 34')}
    root = make_cub(tmp_path, samples)
    path = root / 'images' / samples[1][0]
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.new('RGB', (40, 30), (90, 90, 160)).save(
        path, 'JPEG', exif=exif.tobytes())
    dataset, warning = build_with_warning(data_root=str(root))
    quarter = orientation in (6, 8)
    assert dataset.num_clipped_boxes == (0 if quarter else 1)
    np.testing.assert_allclose(dataset[0]['gt_bboxes'],
                               [[2, 3, 22, 37 if quarter else 30]])
    # the pixels are decoded in the same frame, by both backends
    for backend in ('cv2', 'pillow'):
        loaded = LoadImageFromFile(imdecode_backend=backend)(
            dict(img_path=str(path)))
        assert loaded['img'].shape[:2] == ((40, 30) if quarter else (30, 40))
