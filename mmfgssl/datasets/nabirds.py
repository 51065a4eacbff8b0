# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp

from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from .box_dataset_mixin import BoxDatasetMixin
from .box_utils import xywh_to_xyxy
from .train_set_source import BindTrainSetMixin


@DATASETS.register_module()
class NABirds(BindTrainSetMixin, BoxDatasetMixin, BaseDataset):
    """The NABirds dataset with the ground-truth bird box.

    NABirds dataset directory: ::

        nabirds
        ├── images
        │   ├── 0295
        │   │   ├── 0a2f6b7a0ffa4c6f9e6d1c0a1cb1a9e2.jpg
        │   │   └── ...
        │   └── ...
        ├── images.txt              <image_id> <image_path>
        ├── image_class_labels.txt  <image_id> <class_id>
        ├── train_test_split.txt    <image_id> <is_training_image>
        ├── bounding_boxes.txt      <image_id> <x> <y> <width> <height>
        ├── classes.txt             <class_id> <class name with spaces>
        └── ...

    Image ids are UUIDs and ``<image_path>`` is relative to ``images``. The
    class ids are not contiguous (``classes.txt`` also lists the inner
    nodes of the taxonomy): the ids used in ``image_class_labels.txt``,
    sorted, are mapped to the labels ``0..K-1`` (``self.class_ids[label]``
    gives the id back) and ``classes`` is set from their names, unless
    given. A box ``x y width height`` becomes ``gt_bboxes``
    ``[[x, y, x + width, y + height]]`` (float32, pixels of the original
    image), clipped to the image; a degenerate box becomes the whole image
    (see :class:`BoxDatasetMixin`). A missing file raises
    ``FileNotFoundError``, a malformed line a ``ValueError`` naming the file
    and line, and ids differing between files a ``ValueError`` naming them.

    Args:
        data_root (str): The root directory of NABirds.
        split (str): ``'train'`` or ``'test'`` (official split, 1 = train).
            Defaults to ``'train'``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    def __init__(self, data_root: str, split: str = 'train', **kwargs):
        splits = ['train', 'test']
        assert split in splits, \
            f"The split must be one of {splits}, but get '{split}'"
        self.split = split
        super().__init__(
            ann_file='images.txt',
            data_root=data_root,
            data_prefix='images',
            **kwargs)

    def load_data_list(self):
        """Load image paths, labels and boxes of the split."""
        files = {
            name: osp.join(self.data_root, f'{name}.txt')
            for name in ('image_class_labels', 'train_test_split',
                         'bounding_boxes', 'classes')
        }
        images = self._read_table(self.ann_file, '<image_id> <image_path>',
                                  (str, str))
        labels = self._read_table(files['image_class_labels'],
                                  '<image_id> <class_id>', (str, int))
        splits = self._read_table(files['train_test_split'],
                                  '<image_id> <is_training_image>',
                                  (str, self._flag))
        boxes = self._read_table(files['bounding_boxes'],
                                 '<image_id> <x> <y> <width> <height>',
                                 (str, float, float, float, float))
        names = self._read_table(
            files['classes'], '<class_id> <class_name>', (int, str), rest=True)
        self._check_same_keys({
            self.ann_file: images,
            files['image_class_labels']: labels,
            files['train_test_split']: splits,
            files['bounding_boxes']: boxes,
        })

        self.class_ids = sorted({v[0] for _, v in labels.values()})
        unknown = [i for i in self.class_ids if i not in names]
        if unknown:
            raise ValueError(f'Class ids {unknown[:3]} of '
                             f'{files["image_class_labels"]} are not in '
                             f'{files["classes"]}')
        class_names = tuple(names[i][1][0] for i in self.class_ids)
        if self.CLASSES is None:
            self._metainfo['classes'] = class_names
        elif len(self.CLASSES) != len(class_names):
            raise ValueError(f'{len(self.CLASSES)} classes given but '
                             f'{len(class_names)} are used in '
                             f'{files["image_class_labels"]}')
        label_of = {c: i for i, c in enumerate(self.class_ids)}

        data_list, box_list, sources = [], [], []
        for image_id, (_, (path, )) in images.items():
            if splits[image_id][1][0] != (self.split == 'train'):
                continue
            img_path = osp.join(self.img_prefix, path)
            gt_label = label_of[labels[image_id][1][0]]
            data_list.append(dict(img_path=img_path, gt_label=gt_label))
            line_no, xywh = boxes[image_id]
            box_list.append(xywh_to_xyxy(xywh))
            sources.append(f'{files["bounding_boxes"]}:{line_no}')
        return self._attach_boxes(data_list, box_list, sources)
