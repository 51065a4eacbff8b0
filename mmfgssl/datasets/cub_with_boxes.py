# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import re

from mmpretrain.datasets import CUB
from mmpretrain.registry import DATASETS

from .box_dataset_mixin import BoxDatasetMixin
from .box_utils import xywh_to_xyxy
from .train_set_source import BindTrainSetMixin


@DATASETS.register_module()
class CUBWithBoxes(BindTrainSetMixin, BoxDatasetMixin, CUB):
    """The CUB-200-2011 dataset with the ground-truth bird box.

    Same samples, labels and official split (``train_test_split.txt``,
    1 = train) as :class:`mmpretrain.datasets.CUB`, plus ``gt_bboxes`` read
    from ``bounding_boxes.txt``. The annotation files are parsed strictly:
    a missing file raises ``FileNotFoundError``, a malformed line a
    ``ValueError`` naming the file and line, and image ids that differ
    between the files a ``ValueError`` naming the files.

    CUB dataset directory: ::

        CUB_200_2011
        ├── images
        │   ├── 001.Black_footed_Albatross
        │   │   ├── Black_Footed_Albatross_0001_796111.jpg
        │   │   └── ...
        │   └── ...
        ├── images.txt              <image_id> <image_name>
        ├── image_class_labels.txt  <image_id> <class_id>
        ├── train_test_split.txt    <image_id> <is_training_image>
        ├── bounding_boxes.txt      <image_id> <x> <y> <width> <height>
        └── ...

    When ``classes.txt`` is there (CUB's release and the synthetic set have
    it) the class names are read from it, so a set in CUB's layout with
    other classes reports its own; else they are CUB's 200. Ids are
    1-based. A box ``x y width height`` becomes ``gt_bboxes``
    ``[[x, y, x + width, y + height]]`` (float32, pixels of the original
    image), clipped to the image; a degenerate box becomes the whole image
    (see :class:`BoxDatasetMixin`).

    Args:
        data_root (str): The root directory of CUB-200-2011.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        test_mode (bool): See :class:`mmpretrain.datasets.CUB`.
            Defaults to False.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.CUB`.

    Examples:
        >>> from mmfgssl.datasets import CUBWithBoxes
        >>> ds = CUBWithBoxes(data_root='data/CUB_200_2011', split='train')
        >>> ds.get_data_info(0)['gt_bboxes']
        array([[ 60.,  27., 385., 331.]], dtype=float32)
    """

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 test_mode: bool = False,
                 **kwargs):
        self.bbox_file = osp.join(data_root, 'bounding_boxes.txt')
        classes_file = osp.join(data_root, 'classes.txt')
        if osp.isfile(classes_file) and 'metainfo' not in kwargs:
            kwargs['metainfo'] = dict(
                classes=self._read_class_names(classes_file))
        super().__init__(
            data_root=data_root, split=split, test_mode=test_mode, **kwargs)

    @classmethod
    def _read_class_names(cls, path: str) -> tuple:
        """Class names from ``classes.txt`` (``<class_id> <NNN.name>``, ids
        1..K in order), without the ``NNN.`` folder prefix."""
        table = cls._read_table(path, '<class_id> <class_name>', (int, str))
        if list(table) != list(range(1, len(table) + 1)):
            raise ValueError(f'{path}: class ids must be 1..{len(table)} in '
                             f'order, got {list(table)[:5]}...')
        return tuple(
            re.sub(r'^\d+\.', '', name) for _, (name, ) in table.values())

    def load_data_list(self):
        """Load image paths, labels and boxes of the split."""
        images = self._read_table(self.ann_file, '<image_id> <image_name>',
                                  (int, str))
        labels = self._read_table(self.image_class_labels_file,
                                  '<image_id> <class_id>', (int, int))
        splits = self._read_table(self.train_test_split_file,
                                  '<image_id> <is_training_image>',
                                  (int, self._flag))
        boxes = self._read_table(self.bbox_file,
                                 '<image_id> <x> <y> <width> <height>',
                                 (int, float, float, float, float))
        self._check_same_keys({
            self.ann_file: images,
            self.image_class_labels_file: labels,
            self.train_test_split_file: splits,
            self.bbox_file: boxes,
        })

        num_classes = len(self.CLASSES)
        data_list, box_list, sources = [], [], []
        for image_id, (_, (image_name, )) in images.items():
            if splits[image_id][1][0] != (self.split == 'train'):
                continue
            line_no, (class_id, ) = labels[image_id]
            if not 1 <= class_id <= num_classes:
                raise ValueError(
                    f'{self.image_class_labels_file}:{line_no}: class id '
                    f'{class_id} is not in 1..{num_classes}')
            img_path = self.backend.join_path(self.img_prefix, image_name)
            data_list.append(dict(img_path=img_path, gt_label=class_id - 1))
            line_no, xywh = boxes[image_id]
            box_list.append(xywh_to_xyxy(xywh))
            sources.append(f'{self.bbox_file}:{line_no}')
        return self._attach_boxes(data_list, box_list, sources)
