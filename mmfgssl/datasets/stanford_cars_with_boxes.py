# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp

import mat4py
from mmpretrain.datasets import StanfordCars
from mmpretrain.registry import DATASETS

from .box_dataset_mixin import BoxDatasetMixin
from .box_utils import inclusive_to_xyxy
from .train_set_source import BindTrainSetMixin

BOX_FIELDS = ('bbox_x1', 'bbox_y1', 'bbox_x2', 'bbox_y2')


@DATASETS.register_module()
class StanfordCarsWithBoxes(BindTrainSetMixin, BoxDatasetMixin, StanfordCars):
    """The Stanford Cars dataset with the ground-truth car box.

    Same samples, labels and splits as
    :class:`mmpretrain.datasets.StanfordCars`, plus ``gt_bboxes``. Both
    layouts are supported; the ``.mat`` files hold a struct array
    ``annotations`` read with ``mat4py``.

    Stanford Cars dataset directory: ::

        Stanford_Cars
        ├── car_ims
        │   ├── 000001.jpg
        │   └── ...
        └── cars_annos.mat

    or ::

        Stanford_Cars
        ├── cars_train
        │   ├── 00001.jpg
        │   └── ...
        ├── cars_test
        │   ├── 00001.jpg
        │   └── ...
        └── devkit
            ├── cars_train_annos.mat
            └── cars_test_annos_withlabels.mat

    The fields of ``annotations`` are ``relative_im_path``, ``bbox_x1``,
    ``bbox_y1``, ``bbox_x2``, ``bbox_y2``, ``class`` and ``test`` (1 = test
    image) in ``cars_annos.mat``, and ``bbox_x1``, ``bbox_y1``, ``bbox_x2``,
    ``bbox_y2``, ``class`` and ``fname`` in the devkit files. A missing file
    raises ``FileNotFoundError``, an unreadable one or a missing field a
    ``ValueError`` naming the file. Classes are 1-based.

    The boxes are 1-based inclusive pixel corners: ``bbox_x1 bbox_y1
    bbox_x2 bbox_y2`` becomes ``gt_bboxes``
    ``[[bbox_x1 - 1, bbox_y1 - 1, bbox_x2, bbox_y2]]`` (float32, pixels of
    the original image), clipped to the image; a degenerate box becomes the
    whole image (see :class:`BoxDatasetMixin`).

    Args:
        data_root (str): The root directory of Stanford Cars.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        **kwargs: Other arguments of
            :class:`mmpretrain.datasets.StanfordCars`.
    """

    def __init__(self, data_root: str, split: str = 'train', **kwargs):
        combined = osp.join(data_root, 'cars_annos.mat')
        devkit = osp.join(
            data_root, 'devkit', 'cars_test_annos_withlabels.mat'
            if split == 'test' else 'cars_train_annos.mat')
        if not (osp.isfile(combined) or osp.isfile(devkit)):
            raise FileNotFoundError(
                f'Stanford Cars annotations not found: neither {combined} '
                f'nor {devkit} exists')
        super().__init__(data_root=data_root, split=split, **kwargs)

    def _load_annotations(self) -> dict:
        """Read the ``annotations`` struct array as a dict of lists."""
        try:
            ann = mat4py.loadmat(self.ann_file)['annotations']
            # mat4py returns scalars for a struct array of one element.
            return {
                k: v if isinstance(v, list) else [v]
                for k, v in ann.items()
            }
        except Exception as e:
            raise ValueError(f'Cannot read the struct array `annotations` '
                             f'of {self.ann_file}: {e!r}') from e

    def load_data_list(self):
        """Load image paths, labels and boxes of the split."""
        ann = self._load_annotations()
        combined = 'test' in ann
        name_key = 'relative_im_path' if combined else 'fname'
        fields = [name_key, 'class', *BOX_FIELDS]
        if combined:
            fields.append('test')
        missing = [k for k in fields if k not in ann]
        lengths = {len(ann[k]) for k in fields if k in ann}
        if missing or len(lengths) != 1:
            raise ValueError(f'{self.ann_file}: `annotations` must have the '
                             f'fields {fields} of equal length; missing '
                             f'{missing}')

        num_classes = len(self.CLASSES)
        data_list, box_list, sources = [], [], []
        for i, name in enumerate(ann[name_key]):
            if combined and bool(ann['test'][i]) != (self.split == 'test'):
                continue
            source = f'{self.ann_file}:annotations[{i}]'
            class_id = int(ann['class'][i])
            if not 1 <= class_id <= num_classes:
                raise ValueError(f'{source}: class {class_id} is not in '
                                 f'1..{num_classes}')
            img_path = self.backend.join_path(self.img_prefix, name)
            data_list.append(dict(img_path=img_path, gt_label=class_id - 1))
            box_list.append(inclusive_to_xyxy([ann[k][i] for k in BOX_FIELDS]))
            sources.append(source)
        return self._attach_boxes(data_list, box_list, sources)
