# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp

from mmpretrain.datasets import FGVCAircraft
from mmpretrain.registry import DATASETS

from .box_dataset_mixin import BoxDatasetMixin
from .box_utils import inclusive_to_xyxy
from .train_set_source import BindTrainSetMixin


@DATASETS.register_module()
class FGVCAircraftWithBoxes(BindTrainSetMixin, BoxDatasetMixin, FGVCAircraft):
    """The FGVC-Aircraft dataset with the ground-truth aircraft box.

    Same samples, variant labels and splits as
    :class:`mmpretrain.datasets.FGVCAircraft`, plus ``gt_bboxes`` read from
    ``data/images_box.txt``. A missing file raises ``FileNotFoundError``, a
    malformed line, an unknown variant or an image without a box a
    ``ValueError`` naming the file and line.

    FGVC-Aircraft dataset directory: ::

        fgvc-aircraft-2013b
        └── data
            ├── images
            │   ├── 0034309.jpg
            │   └── ...
            ├── images_box.txt               <image_name> <xmin> <ymin>
            │                                <xmax> <ymax>
            ├── images_variant_train.txt     <image_name> <variant>
            ├── images_variant_val.txt
            ├── images_variant_trainval.txt
            ├── images_variant_test.txt
            └── ...

    The boxes are 1-based inclusive pixel corners: ``xmin ymin xmax ymax``
    becomes ``gt_bboxes`` ``[[xmin - 1, ymin - 1, xmax, ymax]]`` (float32,
    pixels of the original image, which includes the copyright banner at
    the bottom), clipped to the image; a degenerate box becomes the whole
    image (see :class:`BoxDatasetMixin`).

    Args:
        data_root (str): The root directory of FGVC-Aircraft.
        split (str): ``'train'``, ``'val'``, ``'trainval'`` or ``'test'``.
            Defaults to ``'trainval'``.
        **kwargs: Other arguments of
            :class:`mmpretrain.datasets.FGVCAircraft`.
    """

    def __init__(self, data_root: str, split: str = 'trainval', **kwargs):
        self.bbox_file = osp.join(data_root, 'data', 'images_box.txt')
        super().__init__(data_root=data_root, split=split, **kwargs)

    def load_data_list(self):
        """Load image paths, labels and boxes of the split."""
        variants = self._read_table(
            self.ann_file, '<image_name> <variant>', (str, str), rest=True)
        boxes = self._read_table(self.bbox_file,
                                 '<image_name> <xmin> <ymin> <xmax> <ymax>',
                                 (str, float, float, float, float))
        class_to_idx = self.class_to_idx
        data_list, box_list, sources = [], [], []
        for name, (line_no, (variant, )) in variants.items():
            where = f'{self.ann_file}:{line_no}'
            if variant not in class_to_idx:
                raise ValueError(f'{where}: unknown variant {variant!r}')
            if name not in boxes:
                raise ValueError(
                    f'{where}: image {name!r} has no box in {self.bbox_file}')
            img_path = self.backend.join_path(self.img_prefix, f'{name}.jpg')
            data_list.append(
                dict(img_path=img_path, gt_label=class_to_idx[variant]))
            box_line, box = boxes[name]
            box_list.append(inclusive_to_xyxy(box))
            sources.append(f'{self.bbox_file}:{box_line}')
        return self._attach_boxes(data_list, box_list, sources)
