# Copyright (c) OpenMMLab. All rights reserved.
import functools

import mat4py
import numpy as np
import pytest
from dataset_files import build_capturing_warnings
from mmpretrain.datasets import StanfordCars
from mmpretrain.registry import DATASETS
from PIL import Image
from scipy.io import savemat

from mmfgssl.datasets import StanfordCarsWithBoxes

# (file name, (w, h), class, test, (bbox_x1, bbox_y1, bbox_x2, bbox_y2)),
# boxes 1-based inclusive as in the real files.
SAMPLES = [
    ('000001.jpg', (60, 40), 1, 0, (1, 1, 60, 40)),
    ('000002.jpg', (50, 30), 3, 1, (11, 6, 30, 25)),
    # Reaches outside the 40x40 image: clipped.
    ('000003.jpg', (40, 40), 2, 0, (5, 5, 80, 20)),
    # bbox_y2 < bbox_y1: degenerate, replaced by the whole image.
    ('000004.jpg', (30, 30), 2, 0, (10, 10, 20, 5)),
]
# The expected ``gt_bboxes`` of the samples.
EXPECTED = [[0, 0, 60, 40], [10, 5, 30, 25], [4, 4, 40, 20], [0, 0, 30, 30]]


def write_annotations(path, records):
    """Write ``records`` as the 1xN struct array ``annotations``."""
    fields = list(records[0])
    struct = np.empty((1, len(records)), dtype=[(f, 'O') for f in fields])
    for i, record in enumerate(records):
        for field, value in record.items():
            struct[0, i][field] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    savemat(str(path), {'annotations': struct})


def record(name, label, box, test=None):
    rec = {
        f'bbox_{k}': np.array([[v]], dtype=np.uint16)
        for k, v in zip(('x1', 'y1', 'x2', 'y2'), box)
    }
    rec['class'] = np.array([[label]], dtype=np.uint8)
    if test is None:
        rec['fname'] = name
    else:
        rec = dict(relative_im_path=name, **rec)
        rec['test'] = np.array([[test]], dtype=np.uint8)
    return rec


def write_image(path, size):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new('RGB', size, (200, 30, 30)).save(path, 'JPEG')


def make_combined(root):
    """The ``car_ims`` + ``cars_annos.mat`` layout."""
    records = []
    for name, size, label, test, box in SAMPLES:
        write_image(root / 'car_ims' / name, size)
        records.append(record(f'car_ims/{name}', label, box, test))
    write_annotations(root / 'cars_annos.mat', records)
    return root


def make_devkit(root):
    """The ``cars_train`` / ``cars_test`` + ``devkit`` layout."""
    for test, folder, mat in [(0, 'cars_train', 'cars_train_annos.mat'),
                              (1, 'cars_test',
                               'cars_test_annos_withlabels.mat')]:
        records = []
        for name, size, label, is_test, box in SAMPLES:
            if is_test == test:
                write_image(root / folder / name, size)
                records.append(record(name, label, box))
        write_annotations(root / 'devkit' / mat, records)
    return root


build_with_warning = functools.partial(build_capturing_warnings,
                                       StanfordCarsWithBoxes)


def test_fixture_reads_like_the_real_files(tmp_path):
    ann = mat4py.loadmat(str(make_combined(tmp_path) / 'cars_annos.mat'))
    ann = ann['annotations']
    assert set(ann) == {
        'relative_im_path', 'bbox_x1', 'bbox_y1', 'bbox_x2', 'bbox_y2',
        'class', 'test'
    }
    assert ann['relative_im_path'][0] == 'car_ims/000001.jpg'
    assert ann['class'] == [1, 3, 2, 2]
    assert ann['test'] == [0, 1, 0, 0]
    assert ann['bbox_x2'] == [60, 30, 80, 20]
    # mmpretrain's own StanfordCars reads the fixture.
    ds = StanfordCars(data_root=str(tmp_path), split='train')
    assert [ds.get_data_info(i)['gt_label'] for i in range(3)] == [0, 1, 1]


@pytest.mark.parametrize('make,folder', [(make_combined, 'car_ims'),
                                         (make_devkit, 'cars_train')])
def test_train_split(tmp_path, make, folder):
    root = make(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='train')
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    paths = [str(root / folder / SAMPLES[i][0]) for i in (0, 2, 3)]
    assert [info['img_path'] for info in infos] == paths
    assert [info['gt_label'] for info in infos] == [0, 1, 1]
    for info, i in zip(infos, (0, 2, 3)):
        assert info['gt_bboxes'].dtype == np.float32
        np.testing.assert_array_equal(info['gt_bboxes'], [EXPECTED[i]])
    assert ds.num_clipped_boxes == 1
    assert ds.num_degenerate_boxes == 1
    warning.assert_called_once()
    msg = warning.call_args[0][0]
    assert '1 clipped (first: ' in msg and '.mat:annotations[' in msg
    assert '1 degenerate (first: ' in msg


@pytest.mark.parametrize('make', [make_combined, make_devkit])
def test_test_split(tmp_path, make):
    root = make(tmp_path)
    ds, warning = build_with_warning(data_root=str(root), split='test')
    assert len(ds) == 1
    info = ds.get_data_info(0)
    assert info['gt_label'] == 2
    np.testing.assert_array_equal(info['gt_bboxes'], [EXPECTED[1]])
    warning.assert_not_called()


def test_warning_names_the_record(tmp_path):
    root = make_combined(tmp_path)
    _, warning = build_with_warning(data_root=str(root))
    msg = warning.call_args[0][0]
    mat = root / 'cars_annos.mat'
    assert f'1 clipped (first: {mat}:annotations[2])' in msg
    assert f'1 degenerate (first: {mat}:annotations[3])' in msg


def test_missing_annotations(tmp_path):
    with pytest.raises(FileNotFoundError, match='cars_train_annos.mat'):
        StanfordCarsWithBoxes(data_root=str(tmp_path), split='train')
    with pytest.raises(
            FileNotFoundError, match='cars_test_annos_withlabels.mat'):
        StanfordCarsWithBoxes(data_root=str(tmp_path), split='test')


def test_missing_field(tmp_path):
    records = [record('car_ims/000001.jpg', 1, (1, 1, 60, 40), 0)]
    del records[0]['bbox_y2']
    write_annotations(tmp_path / 'cars_annos.mat', records)
    with pytest.raises(ValueError, match=r"cars_annos.mat.*\['bbox_y2'\]"):
        StanfordCarsWithBoxes(data_root=str(tmp_path))


def test_unreadable_mat(tmp_path):
    (tmp_path / 'cars_annos.mat').write_bytes(b'not a mat file')
    with pytest.raises(ValueError, match='cars_annos.mat'):
        StanfordCarsWithBoxes(data_root=str(tmp_path))


def test_build_from_registry(tmp_path):
    root = make_devkit(tmp_path)
    ds = DATASETS.build(
        dict(
            type='StanfordCarsWithBoxes',
            data_root=str(root),
            split='train',
            pipeline=[dict(type='LoadImageFromFile')]))
    results = ds[1]
    assert results['img'].shape == (40, 40, 3)
    assert results['gt_bboxes'].shape == (1, 4)
    np.testing.assert_array_equal(results['gt_bboxes'], [EXPECTED[2]])
