# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp

import mmengine
from mmpretrain.registry import DATASETS

from .unlabeled_image_folder import UnlabeledImageFolder


@DATASETS.register_module()
class COCOImages(UnlabeledImageFolder):
    """The images of a COCO folder, without labels.

    All the images of ``data_prefix``, or, if ``ann_file`` is given, those of
    them listed in its ``images`` (optionally only the ones with at least one
    non-crowd instance). The samples hold ``img_path`` only, sorted by path.

    COCO dataset directory: ::

        coco
        ├── train2017
        │   ├── 000000000009.jpg
        │   └── ...
        └── annotations
            ├── instances_train2017.json
            └── ...

    Args:
        data_root (str): The root directory of COCO. Defaults to ''.
        data_prefix (str | dict): The image folder, relative to
            ``data_root``. Defaults to ``'train2017'``.
        ann_file (str): An instances json, relative to ``data_root``, to
            restrict the images to those it lists, e.g.
            ``'annotations/instances_train2017.json'``. Defaults to '' (all
            images of the folder).
        only_with_instances (bool): With ``ann_file``, keep only the images
            with at least one non-crowd instance. Defaults to False.
        **kwargs: Other arguments of :class:`UnlabeledImageFolder`.
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: str = 'train2017',
                 ann_file: str = '',
                 only_with_instances: bool = False,
                 **kwargs):
        self.only_with_instances = only_with_instances
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            ann_file=ann_file,
            **kwargs)

    def load_data_list(self):
        """Load the image paths."""
        samples = self._find_samples()
        if self.ann_file:
            if not osp.isfile(self.ann_file):
                raise FileNotFoundError(
                    f'Annotation file not found: {self.ann_file}')
            coco = mmengine.load(self.ann_file)
            images = coco['images']
            if self.only_with_instances:
                used = {
                    a['image_id']
                    for a in coco.get('annotations', [])
                    if not a.get('iscrowd', 0)
                }
                images = [img for img in images if img['id'] in used]
            listed = {img['file_name'] for img in images}
            samples = [s for s in samples if s in listed]
            if not samples:
                raise FileNotFoundError(f'No image of {self.ann_file} found '
                                        f'under {self.img_prefix}')
        return [dict(img_path=osp.join(self.img_prefix, s)) for s in samples]
