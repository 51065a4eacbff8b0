# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp
from typing import List, Optional

from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from mmfgssl.utils.checks import check_choice, check_data_root
from .train_set_source import BindTrainSetMixin

TINY_IMAGENET_SPLITS = ('train', 'val')


@DATASETS.register_module()
class TinyImageNet(BindTrainSetMixin, BaseDataset):
    """Tiny ImageNet (200 classes, 64 x 64 px) in its release's layout.

    The classes are the WordNet ids of ``wnids.txt`` in file order; the
    training images are the files of ``train/<wnid>/images/`` (sorted), the
    validation images those of ``val/val_annotations.txt`` (tab-separated
    ``file, wnid, x0, y0, x1, y1``; the boxes are not used). The test split
    of the release has no labels and is not read.

    Directory: ::

        data_root
        ├── wnids.txt
        ├── train
        │   └── n01443537
        │       ├── images
        │       │   ├── n01443537_0.JPEG
        │       │   └── ...
        │       └── n01443537_boxes.txt
        └── val
            ├── images
            │   ├── val_0.JPEG
            │   └── ...
            └── val_annotations.txt

    Args:
        data_root (str): The folder of the release (``tiny-imagenet-200``).
        split (str): ``'train'`` (100k images) or ``'val'`` (10k).
            Defaults to 'train'.
        metainfo (dict, optional): Meta information; the classes default
            to the WordNet ids.
        **kwargs: Other arguments of
            :class:`mmpretrain.datasets.BaseDataset`.
    """

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 metainfo: Optional[dict] = None,
                 **kwargs):
        check_choice('TinyImageNet.split', split, TINY_IMAGENET_SPLITS)
        check_data_root('TinyImageNet', data_root,
                        'the tiny-imagenet-200 folder')
        self.split = split
        self.wnids = self._read_wnids(osp.join(data_root, 'wnids.txt'))
        if metainfo is None:
            metainfo = dict(classes=tuple(self.wnids))
        super().__init__(
            ann_file='', metainfo=metainfo, data_root=data_root, **kwargs)

    @staticmethod
    def _read_wnids(path: str) -> List[str]:
        """The class WordNet ids, one a line, in file order."""
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'TinyImageNet: {path} not found; data_root must be the '
                'extracted tiny-imagenet-200 folder')
        with open(path) as f:
            wnids = [line.strip() for line in f if line.strip()]
        if len(set(wnids)) != len(wnids):
            raise ValueError(f'TinyImageNet: {path} repeats a class id')
        return wnids

    def load_data_list(self) -> List[dict]:
        """One dict per image: ``img_path`` and ``gt_label``."""
        label_of = {wnid: i for i, wnid in enumerate(self.wnids)}
        data_list = []
        if self.split == 'train':
            for wnid in self.wnids:
                folder = osp.join(self.data_root, 'train', wnid, 'images')
                if not osp.isdir(folder):
                    raise FileNotFoundError(
                        f'TinyImageNet: {folder} not found (class {wnid} '
                        'of wnids.txt)')
                data_list.extend(
                    dict(
                        img_path=osp.join(folder, name),
                        gt_label=label_of[wnid])
                    for name in sorted(os.listdir(folder)))
            return data_list
        ann = osp.join(self.data_root, 'val', 'val_annotations.txt')
        if not osp.isfile(ann):
            raise FileNotFoundError(f'TinyImageNet: {ann} not found')
        with open(ann) as f:
            for line_no, line in enumerate(f, 1):
                if not line.strip():
                    continue
                fields = line.rstrip('\n').split('\t')
                if len(fields) < 2 or fields[1] not in label_of:
                    raise ValueError(
                        f'TinyImageNet: {ann} line {line_no}: expected '
                        '"file<TAB>wnid<TAB>..." with a wnid of wnids.txt, '
                        f'got {line.strip()!r}')
                data_list.append(
                    dict(
                        img_path=osp.join(self.data_root, 'val', 'images',
                                          fields[0]),
                        gt_label=label_of[fields[1]]))
        return data_list

    def extra_repr(self) -> List[str]:
        """The split and the folder, for ``repr``."""
        return [f'Split: \t{self.split}', f'Root: \t{self.data_root}']
