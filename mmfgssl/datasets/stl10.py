# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
from typing import List

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from mmfgssl.utils.checks import check_choice, check_data_root
from .train_set_source import BindTrainSetMixin

STL10_CATEGORIES = ('airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse',
                    'monkey', 'ship', 'truck')

# split -> the binary files it reads, in order
STL10_SPLITS = {
    'train': ('train', ),
    'test': ('test', ),
    'unlabeled': ('unlabeled', ),
    'train+unlabeled': ('train', 'unlabeled'),
}

STL10_SIDE = 96
_IMAGE_BYTES = 3 * STL10_SIDE * STL10_SIDE


def read_stl10_images(path: str) -> np.ndarray:
    """Read an STL-10 ``*_X.bin`` file.

    The file is a flat sequence of uint8 images, each stored channel by
    channel (R, G, B) and, inside a channel, column by column (the format
    of the official ``stl10_binary`` release).

    Args:
        path (str): The ``*_X.bin`` file.

    Returns:
        np.ndarray: RGB images of shape (N, 96, 96, 3), uint8.
    """
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size == 0 or raw.size % _IMAGE_BYTES:
        raise ValueError(
            f'STL10: {path} holds {raw.size} bytes, not a positive multiple '
            f'of {_IMAGE_BYTES} (3 x 96 x 96 per image); is it an STL-10 '
            '*_X.bin file?')
    imgs = raw.reshape(-1, 3, STL10_SIDE, STL10_SIDE)  # N x C x W x H
    return np.ascontiguousarray(imgs.transpose(0, 3, 2, 1))  # N x H x W x C


def read_stl10_labels(path: str, num: int) -> np.ndarray:
    """Read an STL-10 ``*_y.bin`` file (uint8 labels 1..10).

    Args:
        path (str): The ``*_y.bin`` file.
        num (int): The number of images its ``*_X.bin`` file holds.

    Returns:
        np.ndarray: 0-based labels of shape (num, ), int64.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'STL10: {path} not found (the labels of '
                                f'{num} images)')
    labels = np.fromfile(path, dtype=np.uint8).astype(np.int64)
    if labels.size != num:
        raise ValueError(f'STL10: {path} holds {labels.size} labels for '
                         f'{num} images')
    if labels.size and (labels.min() < 1 or labels.max() > 10):
        raise ValueError(f'STL10: {path} has labels outside 1..10 '
                         f'({labels.min()}..{labels.max()})')
    return labels - 1


@DATASETS.register_module()
class STL10(BindTrainSetMixin, BaseDataset):
    """STL-10 from its official binary release, held in memory.

    Coates et al., "An Analysis of Single-Layer Networks in Unsupervised
    Feature Learning", AISTATS 2011. The images are 96 x 96 RGB arrays in
    ``img`` (as mmpretrain's ``CIFAR10`` gives them: no loading transform
    in the pipeline, and ``to_rgb=False`` in the data preprocessor); the
    unlabelled images have ``gt_label`` -1.

    Directory: ::

        data_root
        └── stl10_binary
            ├── train_X.bin       5000 images
            ├── train_y.bin
            ├── test_X.bin        8000 images
            ├── test_y.bin
            └── unlabeled_X.bin   100000 images

    Args:
        data_root (str): The folder holding ``stl10_binary``.
        split (str): ``'train'``, ``'test'``, ``'unlabeled'`` or
            ``'train+unlabeled'`` (the self-supervised training set of
            ContrastiveCrop's Table 1). Defaults to 'train'.
        metainfo (dict, optional): Meta information. Defaults to the ten
            class names.
        **kwargs: Other arguments of
            :class:`mmpretrain.datasets.BaseDataset`.
    """

    base_folder = 'stl10_binary'
    METAINFO = {'classes': STL10_CATEGORIES}

    def __init__(self, data_root: str = '', split: str = 'train', **kwargs):
        check_choice('STL10.split', split, STL10_SPLITS)
        check_data_root('STL10', data_root,
                        f'the folder holding {self.base_folder}/')
        self.split = split
        super().__init__(ann_file='', data_root=data_root, **kwargs)

    def load_data_list(self) -> List[dict]:
        """One dict per image: ``img`` (96 x 96 x 3 RGB) and ``gt_label``."""
        folder = osp.join(self.data_root, self.base_folder)
        data_list = []
        for part in STL10_SPLITS[self.split]:
            x_path = osp.join(folder, f'{part}_X.bin')
            if not osp.isfile(x_path):
                raise FileNotFoundError(
                    f'STL10: {x_path} not found (split {self.split!r}); '
                    'extract the official stl10_binary.tar.gz into '
                    f'{self.data_root}')
            imgs = read_stl10_images(x_path)
            if part == 'unlabeled':
                labels = np.full(len(imgs), -1, dtype=np.int64)
            else:
                labels = read_stl10_labels(
                    osp.join(folder, f'{part}_y.bin'), len(imgs))
            data_list.extend(
                dict(img=img, gt_label=int(label))
                for img, label in zip(imgs, labels))
        return data_list

    def extra_repr(self) -> List[str]:
        """The split and the folder, for ``repr``."""
        return [f'Split: \t{self.split}', f'Root: \t{self.data_root}']
