# Copyright (c) OpenMMLab. All rights reserved.
import functools

import numpy as np
import pytest
from dataset_files import build_capturing_warnings, write_annotation_files
from mmpretrain.registry import DATASETS
from PIL import Image

from mmfgssl.datasets import NABirds

CLASSES = [
    '0 Birds',
    '1 Eagles and Hawks',
    '295 Common Loon',
    '817 Black-capped Chickadee',
    '1010 Northern Cardinal (Adult Male)',
]
# uuid: (class id, (w, h), is_train, "x y width height")
SAMPLES = {
    '0000139e-21dc-4d0c-bfe1-4cae3c85c829': (817, (60, 40), 1, '3 4 20 10'),
    '0000d9fc-4e02-4c06-a0af-a55cfb16b12b': (295, (50, 30), 0, '0 0 50 30'),
    # Reaches outside the 40x40 image: clipped.
    '00019306-9d83-4334-b255-a447742edce3': (1010, (40, 40), 1, '30 5 20 20'),
    # Zero width: degenerate, replaced by the whole image.
    '0001afd4-99a1-4a67-b940-d419413e23b3': (817, (30, 20), 1, '5 5 0 10'),
}


def make_nabirds(root):
    """Write a NABirds tree under ``root``."""
    files = dict(
        images=[],
        image_class_labels=[],
        train_test_split=[],
        bounding_boxes=[])
    for uuid, (class_id, size, is_train, box) in SAMPLES.items():
        rel_path = f'{class_id:04d}/{uuid.replace("-", "")}.jpg'
        (root / 'images' / f'{class_id:04d}').mkdir(
            parents=True, exist_ok=True)
        Image.new('RGB', size, (20, 120, 20)).save(root / 'images' / rel_path,
                                                   'JPEG')
        files['images'].append(f'{uuid} {rel_path}')
        files['image_class_labels'].append(f'{uuid} {class_id}')
        files['train_test_split'].append(f'{uuid} {is_train}')
        files['bounding_boxes'].append(f'{uuid} {box}')
    files['classes'] = CLASSES
    write_annotation_files(root, files)
    return root


build_with_warning = functools.partial(build_capturing_warnings, NABirds)


def test_train_split(tmp_path):
    root = make_nabirds(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='train')
    # Class ids 295, 817, 1010 are used: labels 0, 1, 2.
    assert ds.class_ids == [295, 817, 1010]
    assert ds.CLASSES == ('Common Loon', 'Black-capped Chickadee',
                          'Northern Cardinal (Adult Male)')
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    assert infos[0]['img_path'] == str(root / 'images' / '0817' /
                                       '0000139e21dc4d0cbfe14cae3c85c829.jpg')
    assert [info['gt_label'] for info in infos] == [1, 2, 1]
    expected = [[3, 4, 23, 14], [30, 5, 40, 25], [0, 0, 30, 20]]
    for info, box in zip(infos, expected):
        assert info['gt_bboxes'].dtype == np.float32
        np.testing.assert_array_equal(info['gt_bboxes'], [box])
    assert ds.num_clipped_boxes == 1
    assert ds.num_degenerate_boxes == 1
    warning.assert_called_once()
    msg = warning.call_args[0][0]
    assert f'1 clipped (first: {root / "bounding_boxes.txt"}:3)' in msg
    assert f'1 degenerate (first: {root / "bounding_boxes.txt"}:4)' in msg


def test_test_split(tmp_path):
    ds, warning = build_with_warning(
        data_root=str(make_nabirds(tmp_path)), split='test')
    assert len(ds) == 1
    info = ds.get_data_info(0)
    assert info['gt_label'] == 0
    np.testing.assert_array_equal(info['gt_bboxes'], [[0, 0, 50, 30]])
    warning.assert_not_called()


def test_missing_file(tmp_path):
    root = make_nabirds(tmp_path)
    (root / 'classes.txt').unlink()
    with pytest.raises(FileNotFoundError, match='classes.txt'):
        NABirds(data_root=str(root))


def test_malformed_line(tmp_path):
    root = make_nabirds(tmp_path)
    path = root / 'bounding_boxes.txt'
    lines = path.read_text().splitlines()
    lines[1] += ' 7'
    path.write_text('\n'.join(lines))
    with pytest.raises(ValueError, match='bounding_boxes.txt:2: expected'):
        NABirds(data_root=str(root))


def test_ids_differ(tmp_path):
    root = make_nabirds(tmp_path)
    path = root / 'train_test_split.txt'
    path.write_text(path.read_text().replace('0000d9fc', 'ffffd9fc'))
    with pytest.raises(ValueError) as e:
        NABirds(data_root=str(root))
    assert 'images.txt' in str(e.value)
    assert 'train_test_split.txt' in str(e.value)


def test_unknown_class_id(tmp_path):
    root = make_nabirds(tmp_path)
    (root / 'classes.txt').write_text('\n'.join(CLASSES[:-1]))
    with pytest.raises(ValueError, match=r'\[1010\].*classes.txt'):
        NABirds(data_root=str(root))


def test_build_from_registry(tmp_path):
    root = make_nabirds(tmp_path)
    ds = DATASETS.build(
        dict(
            type='NABirds',
            data_root=str(root),
            pipeline=[dict(type='LoadImageFromFile')]))
    results = ds[0]
    assert results['img'].shape == (40, 60, 3)
    assert results['gt_bboxes'].shape == (1, 4)
    np.testing.assert_array_equal(results['gt_bboxes'], [[3, 4, 23, 14]])
