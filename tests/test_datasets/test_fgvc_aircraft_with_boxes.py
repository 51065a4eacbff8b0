# Copyright (c) OpenMMLab. All rights reserved.
import functools

import numpy as np
import pytest
from dataset_files import build_capturing_warnings, write_lines
from mmpretrain.registry import DATASETS
from PIL import Image

from mmfgssl.datasets import FGVCAircraftWithBoxes

# name: ((w, h), variant, split, "xmin ymin xmax ymax" 1-based inclusive)
SAMPLES = {
    '0034309': ((60, 40), '707-320', 'train', '1 1 60 40'),
    '0034958': ((50, 30), 'Cessna 172', 'val', '11 6 30 25'),
    # Reaches outside the 40x40 image: clipped.
    '1025794': ((40, 40), 'BAE 146-200', 'train', '5 5 80 20'),
    # Empty (ymax < ymin): degenerate, replaced by the whole image.
    '1340192': ((30, 30), 'Cessna 172', 'test', '10 10 20 5'),
}


def make_aircraft(root):
    """Write an fgvc-aircraft-2013b tree under ``root``."""
    data = root / 'data'
    (data / 'images').mkdir(parents=True)
    variants = dict(train=[], val=[], trainval=[], test=[])
    boxes = []
    for name, (size, variant, split, box) in SAMPLES.items():
        Image.new('RGB', size,
                  (90, 90, 200)).save(data / 'images' / f'{name}.jpg', 'JPEG')
        variants[split].append(f'{name} {variant}')
        if split in ('train', 'val'):
            variants['trainval'].append(f'{name} {variant}')
        boxes.append(f'{name} {box}')
    for split, lines in variants.items():
        write_lines(data / f'images_variant_{split}.txt', lines)
    write_lines(data / 'images_box.txt', boxes)
    return root


build_with_warning = functools.partial(build_capturing_warnings,
                                       FGVCAircraftWithBoxes)


def test_trainval_split(tmp_path):
    root = make_aircraft(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='trainval')
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    assert [info['img_path'] for info in infos] == [
        str(root / 'data' / 'images' / f'{name}.jpg')
        for name in ('0034309', '0034958', '1025794')
    ]
    classes = ds.CLASSES
    assert [info['gt_label'] for info in infos] == [
        classes.index('707-320'),
        classes.index('Cessna 172'),
        classes.index('BAE 146-200')
    ]
    expected = [[0, 0, 60, 40], [10, 5, 30, 25], [4, 4, 40, 20]]
    for info, box in zip(infos, expected):
        assert info['gt_bboxes'].dtype == np.float32
        np.testing.assert_array_equal(info['gt_bboxes'], [box])
    assert ds.num_clipped_boxes == 1
    assert ds.num_degenerate_boxes == 0
    warning.assert_called_once()
    box_file = root / 'data' / 'images_box.txt'
    assert f'1 clipped (first: {box_file}:3)' in warning.call_args[0][0]


@pytest.mark.parametrize('split,names', [('train', ['0034309', '1025794']),
                                         ('val', ['0034958'])])
def test_train_val_splits(tmp_path, split, names):
    ds = FGVCAircraftWithBoxes(
        data_root=str(make_aircraft(tmp_path)), split=split)
    assert [ds.get_data_info(i)['img_path'][-11:-4]
            for i in range(len(ds))] == names


def test_test_split_degenerate_box(tmp_path):
    root = make_aircraft(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='test')
    assert len(ds) == 1
    info = ds.get_data_info(0)
    assert info['gt_label'] == ds.CLASSES.index('Cessna 172')
    np.testing.assert_array_equal(info['gt_bboxes'], [[0, 0, 30, 30]])
    assert ds.num_degenerate_boxes == 1
    box_file = root / 'data' / 'images_box.txt'
    assert f'1 degenerate (first: {box_file}:4)' in warning.call_args[0][0]


def test_missing_box_file(tmp_path):
    root = make_aircraft(tmp_path)
    (root / 'data' / 'images_box.txt').unlink()
    with pytest.raises(FileNotFoundError, match='images_box.txt'):
        FGVCAircraftWithBoxes(data_root=str(root))


def test_malformed_box_line(tmp_path):
    root = make_aircraft(tmp_path)
    box_file = root / 'data' / 'images_box.txt'
    lines = box_file.read_text().splitlines()
    lines[2] = '1025794 5 5 80'
    box_file.write_text('\n'.join(lines))
    with pytest.raises(ValueError, match='images_box.txt:3: expected'):
        FGVCAircraftWithBoxes(data_root=str(root))


def test_unknown_variant_and_missing_box(tmp_path):
    root = make_aircraft(tmp_path)
    split_file = root / 'data' / 'images_variant_test.txt'
    split_file.write_text('1340192 Boeing 999\n')
    with pytest.raises(ValueError, match='_test.txt:1: unknown variant'):
        FGVCAircraftWithBoxes(data_root=str(root), split='test')
    split_file.write_text('1340192 Cessna 172\n9999999 Cessna 172\n')
    with pytest.raises(ValueError, match='_test.txt:2: image .* no box'):
        FGVCAircraftWithBoxes(data_root=str(root), split='test')


def test_build_from_registry(tmp_path):
    root = make_aircraft(tmp_path)
    ds = DATASETS.build(
        dict(
            type='FGVCAircraftWithBoxes',
            data_root=str(root),
            split='trainval',
            pipeline=[dict(type='LoadImageFromFile')]))
    results = ds[0]
    assert results['img'].shape == (40, 60, 3)
    assert results['gt_bboxes'].shape == (1, 4)
    np.testing.assert_array_equal(results['gt_bboxes'], [[0, 0, 60, 40]])
