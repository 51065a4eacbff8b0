import os

import pytest

from mmfgssl.datasets import IMG_EXTENSIONS, UnlabeledImageFolder, list_images


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / 'images'
    (root / 'b' / 'c').mkdir(parents=True)
    for name in ('z.jpg', 'b/A.PNG', 'b/c/x.webp', 'notes.txt', 'b/mask.npy'):
        (root / name).write_bytes(b'')
    outside = tmp_path / 'outside'
    outside.mkdir()
    (outside / 'linked.jpeg').write_bytes(b'')
    os.symlink(outside, root / 'link')
    return root


def test_images_are_found_recursively_through_links_and_sorted(folder):
    expected = ['b/A.PNG', 'b/c/x.webp', 'link/linked.jpeg', 'z.jpg']
    assert list_images(str(folder), relative=True) == expected
    assert list_images(str(folder)) == [str(folder / p) for p in expected]


def test_the_extension_list_is_the_datasets_and_can_be_narrowed(folder):
    # the dataset of an image folder and the tools see the same files
    dataset = UnlabeledImageFolder(data_root=str(folder), lazy_init=True)
    assert sorted(dataset.extensions) == sorted(IMG_EXTENSIONS)
    dataset.full_init()
    assert [d['img_path'] for d in dataset] == list_images(str(folder))
    assert list_images(str(folder), ('.JPG', ), relative=True) == ['z.jpg']


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere'):
        list_images(str(tmp_path / 'nowhere'))
    (tmp_path / 'empty').mkdir()
    assert list_images(str(tmp_path / 'empty')) == []
