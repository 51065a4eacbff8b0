"""TinyImageNet reads the release's layout: classes in wnids.txt order,
train/<wnid>/images/*.JPEG, val/images with val_annotations.txt."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import DefaultScope

from mmfgssl.datasets import TinyImageNet

WNIDS = ['n02', 'n01', 'n03']  # not sorted: the file order is the label


@pytest.fixture
def tiny_root(tmp_path):
    rng = np.random.default_rng(0)
    root = tmp_path / 'tiny-imagenet-200'
    root.mkdir()
    (root / 'wnids.txt').write_text('\n'.join(WNIDS) + '\n')
    colours = {}
    for i, wnid in enumerate(WNIDS):
        folder = root / 'train' / wnid / 'images'
        folder.mkdir(parents=True)
        (root / 'train' / wnid / f'{wnid}_boxes.txt').write_text('')
        for j in range(2):
            img = np.full((64, 64, 3), 40 * i + 10 * j, np.uint8)
            cv2.imwrite(str(folder / f'{wnid}_{j}.JPEG'), img)
            colours[f'{wnid}_{j}'] = 40 * i + 10 * j
    (root / 'val' / 'images').mkdir(parents=True)
    lines = []
    for k, wnid in enumerate(['n03', 'n02', 'n03', 'n01']):
        img = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
        cv2.imwrite(str(root / 'val' / 'images' / f'val_{k}.JPEG'), img)
        lines.append(f'val_{k}.JPEG\t{wnid}\t0\t0\t63\t63')
    (root / 'val' / 'val_annotations.txt').write_text('\n'.join(lines) + '\n')
    return str(root), colours


def test_train_and_val_labels_follow_wnids_txt(tiny_root):
    root, colours = tiny_root
    train = TinyImageNet(data_root=root, split='train')
    assert train.CLASSES == tuple(WNIDS)
    infos = [train.get_data_info(i) for i in range(len(train))]
    assert [osp.basename(d['img_path']) for d in infos] == [
        'n02_0.JPEG', 'n02_1.JPEG', 'n01_0.JPEG', 'n01_1.JPEG', 'n03_0.JPEG',
        'n03_1.JPEG'
    ]
    assert [d['gt_label'] for d in infos] == [0, 0, 1, 1, 2, 2]
    val = TinyImageNet(data_root=root, split='val')
    assert [val.get_data_info(i)['gt_label'] for i in range(4)] == \
        [2, 0, 2, 1]
    assert val.get_data_info(3)['img_path'] == osp.join(
        root, 'val', 'images', 'val_3.JPEG')


def test_images_load_through_the_pipeline(tiny_root):
    root, colours = tiny_root
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        train = TinyImageNet(
            data_root=root,
            split='train',
            pipeline=[dict(type='LoadImageFromFile'),
                      dict(type='PackInputs')])
        sample = train[3]
    assert tuple(sample['inputs'].shape) == (3, 64, 64)
    assert abs(float(sample['inputs'].float().mean()) -
               colours['n01_1']) < 2  # JPEG of a flat image
    assert sample['data_samples'].gt_label.item() == 1


def test_bad_layouts_are_named(tiny_root, tmp_path):
    root, _ = tiny_root
    with pytest.raises(ValueError, match='split must be one of'):
        TinyImageNet(data_root=root, split='test')
    with pytest.raises(FileNotFoundError, match='wnids.txt not found'):
        TinyImageNet(data_root=str(tmp_path / 'nowhere'))
    with open(osp.join(root, 'val', 'val_annotations.txt'), 'a') as f:
        f.write('val_9.JPEG\tn99\t0\t0\t1\t1\n')
    with pytest.raises(ValueError, match='line 5'):
        TinyImageNet(data_root=root, split='val')
    os.rename(osp.join(root, 'train', 'n01'), osp.join(root, 'train', 'moved'))
    with pytest.raises(FileNotFoundError, match='class n01 of wnids.txt'):
        TinyImageNet(data_root=root, split='train')
