# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from mmfgssl.datasets.saliency import mirrored_path, read_saliency_file


def test_mirrored_path():
    assert mirrored_path('/d/images/001.a/x.jpg', '/d/images', '/d/maps',
                         '.png') == osp.join('/d/maps', '001.a', 'x.png')


def test_read_saliency_file_scales_and_resizes(tmp_path):
    path = str(tmp_path / 'm.png')
    values = np.zeros((4, 6), dtype=np.uint8)
    values[:, 3:] = 255
    Image.fromarray(values).save(path)
    same = read_saliency_file(path, (4, 6), 'missing', 'bad')
    assert same.dtype == np.float32
    np.testing.assert_array_equal(same, values / 255.)
    bigger = read_saliency_file(path, (8, 12, 3), 'missing', 'bad')
    assert bigger.shape == (8, 12)
    assert bigger[:, :5].max() == 0 and bigger[:, 7:].min() == 1


def test_read_saliency_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='no map for sample 3'):
        read_saliency_file(
            str(tmp_path / 'none.png'), (4, 4), 'no map for sample 3', 'bad')
    broken = tmp_path / 'broken.png'
    broken.write_bytes(b'not a png')
    with pytest.raises(OSError, match='cannot decode it'):
        read_saliency_file(str(broken), (4, 4), 'missing', 'cannot decode it')
