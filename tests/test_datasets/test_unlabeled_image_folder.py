# Copyright (c) OpenMMLab. All rights reserved.
import json

import pytest
from mmpretrain.registry import DATASETS
from PIL import Image

from mmfgssl.datasets import COCOImages, UnlabeledImageFolder


def write_image(path, size=(32, 24), fmt='JPEG'):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new('RGB', size, (10, 200, 10)).save(path, fmt)


def make_folder(root):
    """Nested images of several extensions, and a file that is not one."""
    write_image(root / 'b' / 'z.JPG')
    write_image(root / 'b' / 'a.png', fmt='PNG')
    write_image(root / 'a.jpeg', size=(20, 10))
    write_image(root / 'b' / 'c' / 'd.jpg')
    (root / 'b' / 'notes.txt').write_text('not an image')
    return root


def test_finds_images_recursively_sorted(tmp_path):
    root = make_folder(tmp_path / 'imgs')
    ds = UnlabeledImageFolder(data_root=str(tmp_path), data_prefix='imgs')
    paths = [ds.get_data_info(i)['img_path'] for i in range(len(ds))]
    assert paths == [
        str(root / p) for p in ('a.jpeg', 'b/a.png', 'b/c/d.jpg', 'b/z.JPG')
    ]
    assert 'gt_label' not in ds.get_data_info(0)


def test_empty_or_missing_folder(tmp_path):
    empty = tmp_path / 'empty'
    (empty / 'sub').mkdir(parents=True)
    (empty / 'sub' / 'notes.txt').write_text('not an image')
    with pytest.raises(FileNotFoundError, match=f'No image .* {empty}'):
        UnlabeledImageFolder(data_root=str(empty))
    with pytest.raises(FileNotFoundError, match='missing'):
        UnlabeledImageFolder(data_root=str(tmp_path / 'missing'))


def test_unlabeled_build_from_registry(tmp_path):
    make_folder(tmp_path)
    ds = DATASETS.build(
        dict(
            type='UnlabeledImageFolder',
            data_root=str(tmp_path),
            pipeline=[dict(type='LoadImageFromFile')]))
    assert len(ds) == 4
    assert ds[0]['img'].shape == (10, 20, 3)


def make_coco(root):
    """A ``train2017`` folder of 3 images and an instances json of 2."""
    for i in (9, 25, 30):
        write_image(root / 'train2017' / f'{i:012d}.jpg', size=(16 + i, 12))
    coco = dict(
        images=[
            dict(id=9, file_name='000000000009.jpg', width=25, height=12),
            dict(id=25, file_name='000000000025.jpg', width=41, height=12),
        ],
        annotations=[
            dict(id=1, image_id=25, iscrowd=0),
            dict(id=2, image_id=9, iscrowd=1),
        ],
        categories=[dict(id=1, name='person')])
    (root / 'annotations').mkdir()
    (root / 'annotations' / 'instances_train2017.json').write_text(
        json.dumps(coco))
    return root


def coco_names(ds):
    return [ds.get_data_info(i)['img_path'][-16:] for i in range(len(ds))]


def test_coco_images(tmp_path):
    root = make_coco(tmp_path)
    ann_file = 'annotations/instances_train2017.json'
    names = ['000000000009.jpg', '000000000025.jpg', '000000000030.jpg']
    assert coco_names(COCOImages(data_root=str(root))) == names
    ds = COCOImages(data_root=str(root), ann_file=ann_file)
    assert coco_names(ds) == names[:2]
    ds = COCOImages(
        data_root=str(root), ann_file=ann_file, only_with_instances=True)
    assert coco_names(ds) == names[1:2]
    with pytest.raises(FileNotFoundError, match='instances_val2017.json'):
        COCOImages(
            data_root=str(root), ann_file='annotations/instances_val2017.json')


def test_coco_build_from_registry(tmp_path):
    ds = DATASETS.build(
        dict(
            type='COCOImages',
            data_root=str(make_coco(tmp_path)),
            pipeline=[dict(type='LoadImageFromFile')]))
    assert len(ds) == 3
    assert ds[2]['img'].shape == (12, 46, 3)
