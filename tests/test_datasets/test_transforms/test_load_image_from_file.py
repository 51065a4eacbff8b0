"""An unreadable image: a clear error by default, or a counted, logged skip
that the training dataset replaces by another sample; and the tool that
lists every unreadable image of a set."""
import os.path as osp
import shutil
import sys
from unittest import mock

import pytest
from mmengine.logging import MMLogger
from mmengine.registry import DefaultScope
from mmpretrain.registry import TRANSFORMS
from PIL import Image
from tool_runs import completed

from mmfgssl.datasets import CUBWithBoxes
from mmfgssl.datasets.transforms import LoadImageFromFile


def corrupt(path):
    """Keep the JPEG's header, replace its data by garbage: the header still
    gives a size (the dataset builds) but the image does not decode."""
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(data[:200] + b'\x00' * 50)


@pytest.fixture
def one_bad_image(tmp_path):
    img = tmp_path / 'bad.jpg'
    Image.new('RGB', (40, 30), (10, 200, 30)).save(img, 'JPEG')
    corrupt(img)
    return str(img)


def test_config_name_builds_this_transform():
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        t = TRANSFORMS.build(dict(type='LoadImageFromFile'))
    assert type(t) is LoadImageFromFile
    assert t.skip_unreadable is False


def test_unreadable_image_error_names_the_file_and_the_options(one_bad_image):
    with pytest.raises(OSError) as e:
        LoadImageFromFile()(dict(img_path=one_bad_image))
    msg = str(e.value)
    assert f'cannot read the image {one_bad_image}' in msg
    assert 'skip_unreadable=True' in msg
    assert 'tools/analysis_tools/check_images.py' in msg


def test_skip_is_counted_and_logged(one_bad_image, tmp_path):
    good = tmp_path / 'good.jpg'
    Image.new('RGB', (40, 30)).save(good, 'JPEG')
    t = LoadImageFromFile(skip_unreadable=True)
    logger = MMLogger.get_current_instance()
    with mock.patch.object(logger, 'warning') as warning:
        assert t(dict(img_path=one_bad_image)) is None
        assert t(dict(img_path=str(good)))['img'].shape == (30, 40, 3)
        assert t(dict(img_path=one_bad_image)) is None
    assert t.num_skipped == 2
    assert warning.call_count == 2
    assert (f'skipped the unreadable image {one_bad_image}'
            in warning.call_args[0][0])
    assert '2 skipped in this process' in warning.call_args[0][0]


def test_training_dataset_replaces_a_skipped_sample(tiny_synthetic_cub,
                                                    tmp_path):
    root = str(tmp_path / 'set')
    shutil.copytree(tiny_synthetic_cub, root)
    plain = CUBWithBoxes(data_root=root, pipeline=[])
    bad = plain.get_data_info(0)['img_path']
    corrupt(bad)
    pipeline = [
        dict(type='LoadImageFromFile', skip_unreadable=True),
        dict(type='PackInputs')
    ]
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = CUBWithBoxes(data_root=root, pipeline=pipeline)
        sample = dataset[0]  # drawn in place of the unreadable image 0
        assert sample['data_samples'].img_path != bad
        with pytest.raises(OSError, match='cannot read the image'):
            CUBWithBoxes(
                data_root=root,
                pipeline=[
                    dict(type='LoadImageFromFile'),
                    dict(type='PackInputs')
                ])[0]


def test_check_images_lists_every_unreadable_file(tiny_synthetic_cub,
                                                  tmp_path):
    root = str(tmp_path / 'set')
    shutil.copytree(tiny_synthetic_cub, root)
    plain = CUBWithBoxes(data_root=root, pipeline=[])
    bad = sorted(plain.get_data_info(i)['img_path'] for i in (1, 3))
    for path in bad:
        corrupt(path)
    total = len(plain) + len(CUBWithBoxes(data_root=root, split='test'))
    for args in (['--folder', osp.join(root, 'images')], [
            'configs/byol/byol_resnet18_1xb32-coslr-100e_synthcub.py',
            '--data-root', root
    ]):
        proc = completed(
            [sys.executable, 'tools/analysis_tools/check_images.py', *args])
        assert proc.returncode == 1, proc.stderr[-3000:]
        lines = proc.stdout.splitlines()
        assert 'images checked, 2 unreadable' in lines[-3]
        assert [line.split(': ')[0] for line in lines[-2:]] == bad
        if args[0] == '--folder':
            assert lines[-3].startswith(f'{total} images checked')
    for path in bad:
        Image.new('RGB', (64, 64)).save(path, 'JPEG')
    proc = completed([
        sys.executable, 'tools/analysis_tools/check_images.py', '--folder',
        osp.join(root, 'images')
    ])
    assert proc.returncode == 0
    assert f'{total} images checked, 0 unreadable' in proc.stdout
