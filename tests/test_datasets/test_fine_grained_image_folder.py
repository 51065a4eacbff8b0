"""FineGrainedImageFolder: class folders or a list, boxes from CSV or
COCO JSON (checked against CUB's own box file read by CUBWithBoxes), the
bad-input rules, and a CVSA config moved onto such a set."""
import json
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import DefaultScope

from mmfgssl.datasets import CUBWithBoxes, FineGrainedImageFolder


@pytest.fixture
def folder_set(tiny_synthetic_cub, tmp_path):
    """A copy of the tiny set (its images/ has class sub-folders), so that
    the box files written here do not reach other tests."""
    import shutil
    root = str(tmp_path / 'my_set')
    shutil.copytree(tiny_synthetic_cub, root)
    return root


def cub_boxes(root):
    """image path relative to images/ -> (x, y, w, h), read from CUB's
    text files with plain splits."""
    paths = dict(line.split() for line in open(osp.join(root, 'images.txt')))
    boxes = {}
    for line in open(osp.join(root, 'bounding_boxes.txt')):
        i, *xywh = line.split()
        boxes[paths[i]] = [float(v) for v in xywh]
    return boxes


def write_csv(root, boxes, header=True, skip=()):
    path = osp.join(root, 'boxes.csv')
    with open(path, 'w') as f:
        if header:
            f.write('path,x1,y1,x2,y2\n')
        for rel, (x, y, w, h) in boxes.items():
            if rel not in skip:
                f.write(f'{rel},{x},{y},{x + w},{y + h}\n')
    return 'boxes.csv'


def test_class_folders_and_csv_boxes_match_cub(folder_set):
    boxes = cub_boxes(folder_set)
    box_file = write_csv(folder_set, boxes)
    ours = FineGrainedImageFolder(data_root=folder_set, box_file=box_file)
    cub_train = CUBWithBoxes(folder_set, split='train')
    cub_test = CUBWithBoxes(folder_set, split='test')
    assert len(ours) == len(cub_train) + len(cub_test) == len(boxes)
    by_path = {
        d['img_path']: d
        for ds in (cub_train, cub_test)
        for d in (ds.get_data_info(i) for i in range(len(ds)))
    }
    for i in range(len(ours)):
        info = ours.get_data_info(i)
        ref = by_path[info['img_path']]
        np.testing.assert_allclose(info['gt_bboxes'], ref['gt_bboxes'])
        assert info['gt_bboxes'].shape == (1, 4)
        assert info['gt_bboxes'].dtype == np.float32
        # classes are the sorted folder names, as CUB's ids here
        assert info['gt_label'] == ref['gt_label']


def test_coco_json_boxes_are_joined_per_image(folder_set):
    boxes = cub_boxes(folder_set)
    images, anns = [], []
    for k, (rel, (x, y, w, h)) in enumerate(sorted(boxes.items())):
        images.append(dict(id=k + 10, file_name=rel))
        # two halves whose union is the box
        anns.append(dict(image_id=k + 10, bbox=[x, y, w / 2, h]))
        anns.append(dict(image_id=k + 10, bbox=[x + w / 2, y, w / 2, h]))
    with open(osp.join(folder_set, 'boxes.json'), 'w') as f:
        json.dump(dict(images=images, annotations=anns), f)
    ours = FineGrainedImageFolder(data_root=folder_set, box_file='boxes.json')
    for i in range(len(ours)):
        info = ours.get_data_info(i)
        rel = osp.relpath(info['img_path'], osp.join(folder_set, 'images'))
        x, y, w, h = boxes[rel]
        np.testing.assert_allclose(info['gt_bboxes'][0], [x, y, x + w, y + h])


def test_annotation_list_and_no_boxes(folder_set):
    boxes = cub_boxes(folder_set)
    rels = sorted(boxes)[:3]
    with open(osp.join(folder_set, 'list.txt'), 'w') as f:
        f.write(''.join(f'{rel} {k}\n' for k, rel in enumerate(rels)))
    ours = FineGrainedImageFolder(data_root=folder_set, ann_file='list.txt')
    assert len(ours) == 3
    assert [ours.get_data_info(i)['gt_label'] for i in range(3)] == [0, 1, 2]
    assert 'gt_bboxes' not in ours.get_data_info(0)


def test_bad_box_files_are_named(folder_set):
    boxes = cub_boxes(folder_set)
    first = sorted(boxes)[0]
    box_file = write_csv(folder_set, boxes, skip={first})
    with pytest.raises(ValueError, match="no box for 1 of"):
        FineGrainedImageFolder(data_root=folder_set, box_file=box_file)
    ours = FineGrainedImageFolder(
        data_root=folder_set, box_file=box_file, missing_box='whole_image')
    assert ours.num_missing_boxes == 1
    info = [
        ours.get_data_info(i) for i in range(len(ours))
        if ours.get_data_info(i)['img_path'].endswith(first)
    ][0]
    np.testing.assert_array_equal(info['gt_bboxes'][0], [0, 0, 64, 64])

    path = osp.join(folder_set, 'boxes.csv')
    with open(path, 'a') as f:
        f.write('nowhere/x.jpg,1,2,3,4\n')
    with pytest.raises(
            ValueError,
            match=r'boxes.csv: line \d+: '
            r"'nowhere/x.jpg' is not an image"):
        FineGrainedImageFolder(
            data_root=folder_set,
            box_file='boxes.csv',
            missing_box='whole_image')
    with open(path, 'w') as f:
        f.write('path,x1,y1,x2,y2\n' + f'{first},1,2,3\n')
    with pytest.raises(ValueError, match=r'boxes.csv:2: expected'):
        FineGrainedImageFolder(data_root=folder_set, box_file='boxes.csv')
    with pytest.raises(ValueError, match='must be a .csv or'):
        FineGrainedImageFolder(data_root=folder_set, box_file='boxes.txt')
    with open(osp.join(folder_set, 'bad.json'), 'w') as f:
        json.dump(
            dict(
                images=[dict(id=1, file_name=first)],
                annotations=[dict(image_id=2, bbox=[0, 0, 1, 1])]), f)
    with pytest.raises(ValueError, match=r'annotations\[0\]'):
        FineGrainedImageFolder(data_root=folder_set, box_file='bad.json')


def test_cvsa_views_on_an_image_folder_set(folder_set):
    """A CVSA pipeline on FineGrainedImageFolder: its 'train_set'
    backgrounds and ground-truth boxes come from the folder set."""
    from mmengine.config import Config
    from mmpretrain.registry import DATASETS
    write_csv(folder_set, cub_boxes(folder_set))
    cfg = Config.fromfile(
        osp.join(
            osp.dirname(__file__), '..', '..', 'configs', 'cvsa',
            'cvsa_resnet18_1xb32-coslr-100e_synthcub.py'))
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.update(
        type='FineGrainedImageFolder',
        data_root=folder_set,
        box_file='boxes.csv')
    dataset_cfg.pop('split')
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = DATASETS.build(dataset_cfg)
        sample = dataset[0]
    assert len(sample['inputs']) == 2
    masks = sample['data_samples'].saliency_mask
    assert [m.shape for m in masks] == [(56, 56)] * 2


@pytest.mark.parametrize('kind', ['csv', 'json', 'ann_file'])
def test_non_utf8_files_are_named_with_their_line(folder_set, kind):
    boxes = cub_boxes(folder_set)
    first = sorted(boxes)[0]
    kwargs = {}
    if kind == 'csv':
        path = osp.join(folder_set, write_csv(folder_set, boxes))
        kwargs['box_file'] = 'boxes.csv'
        line_no = 3  # header, first box, then the bad one
    elif kind == 'json':
        path = osp.join(folder_set, 'boxes.json')
        with open(path, 'w') as f:
            json.dump(
                dict(
                    images=[dict(id=1, file_name=first)],
                    annotations=[dict(image_id=1, bbox=[0, 0, 4, 4])]),
                f,
                indent=1)
        kwargs['box_file'] = 'boxes.json'
        line_no = 2
    else:
        path = osp.join(folder_set, 'list.txt')
        with open(path, 'w') as f:
            f.write(''.join(f'{rel} 0\n' for rel in sorted(boxes)[:3]))
        kwargs['ann_file'] = 'list.txt'
        line_no = 2
    lines = open(path, 'rb').read().split(b'\n')
    lines[line_no -
          1] = lines[line_no - 1][:1] + b'\xe9' + lines[line_no - 1][1:]
    open(path, 'wb').write(b'\n'.join(lines))
    with pytest.raises(ValueError) as e:
        FineGrainedImageFolder(data_root=folder_set, **kwargs)
    assert f'{path}:{line_no}: not UTF-8 text' in str(e.value)
