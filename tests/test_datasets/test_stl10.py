"""STL10 reads the official binary format: each image channel by channel,
each channel column by column, labels 1..10 in a separate byte file."""
import os.path as osp

import numpy as np
import pytest

from mmfgssl.datasets import STL10


def write_stl10_file(path, imgs):
    """Write H x W x 3 images in the release's byte order, one byte at a
    time (channel, then column, then row), independently of the reader's
    reshape and transpose."""
    out = bytearray()
    for img in imgs:
        for c in range(3):
            for x in range(img.shape[1]):
                for y in range(img.shape[0]):
                    out.append(int(img[y, x, c]))
    with open(path, 'wb') as f:
        f.write(bytes(out))


@pytest.fixture
def stl10_root(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / 'stl10_binary'
    folder.mkdir()
    parts = {}
    for part, num in (('train', 3), ('test', 2), ('unlabeled', 4)):
        imgs = rng.integers(0, 256, (num, 96, 96, 3), dtype=np.uint8)
        write_stl10_file(folder / f'{part}_X.bin', imgs)
        parts[part] = imgs
    (folder / 'train_y.bin').write_bytes(bytes([1, 10, 4]))
    (folder / 'test_y.bin').write_bytes(bytes([2, 3]))
    return str(tmp_path), parts


def test_pixels_and_labels_of_each_split(stl10_root):
    root, parts = stl10_root
    train = STL10(data_root=root, split='train')
    assert len(train) == 3
    for i in range(3):
        info = train.get_data_info(i)
        np.testing.assert_array_equal(info['img'], parts['train'][i])
    assert [train.get_data_info(i)['gt_label'] for i in range(3)] == [0, 9, 3]
    assert train.CLASSES[9] == 'truck'

    both = STL10(data_root=root, split='train+unlabeled')
    assert len(both) == 7
    np.testing.assert_array_equal(
        both.get_data_info(3)['img'], parts['unlabeled'][0])
    assert both.get_data_info(6)['gt_label'] == -1
    test = STL10(data_root=root, split='test')
    assert [test.get_data_info(i)['gt_label'] for i in range(2)] == [1, 2]


def test_a_pipeline_without_loading_packs_the_array(stl10_root):
    root, parts = stl10_root
    dataset = STL10(
        data_root=root, split='unlabeled', pipeline=[dict(type='PackInputs')])
    inputs = dataset[2]['inputs']  # 3 x 96 x 96, channels as stored (RGB)
    np.testing.assert_array_equal(
        inputs.permute(1, 2, 0).numpy(), parts['unlabeled'][2])


def test_bad_files_are_named(stl10_root, tmp_path):
    root, _ = stl10_root
    with pytest.raises(ValueError, match='split must be one of'):
        STL10(data_root=root, split='val')
    with pytest.raises(FileNotFoundError, match='train_X.bin'):
        STL10(data_root=str(tmp_path / 'nowhere'), split='train')
    truncated = osp.join(root, 'stl10_binary', 'test_X.bin')
    with open(truncated, 'r+b') as f:
        f.truncate(96 * 96 * 3 + 5)
    with pytest.raises(ValueError, match='test_X.bin holds 27653 bytes'):
        STL10(data_root=root, split='test')
    with open(osp.join(root, 'stl10_binary', 'train_y.bin'), 'wb') as f:
        f.write(bytes([1, 11, 4]))
    with pytest.raises(ValueError, match='labels outside 1..10'):
        STL10(data_root=root, split='train')
    with open(osp.join(root, 'stl10_binary', 'train_y.bin'), 'wb') as f:
        f.write(bytes([1, 2]))
    with pytest.raises(ValueError, match='2 labels for 3 images'):
        STL10(data_root=root, split='train')
