# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
from typing import Sequence, Union

from mmpretrain.datasets import CustomDataset
from mmpretrain.datasets.custom import get_samples
from mmpretrain.registry import DATASETS

from .image_files import IMG_EXTENSIONS
from .train_set_source import BindTrainSetMixin


@DATASETS.register_module()
class UnlabeledImageFolder(BindTrainSetMixin, CustomDataset):
    """Every image under a folder, without labels.

    For stage-1 (self-supervised) data and background images. The folder is
    searched recursively, file extensions are matched case-insensitively and
    the samples, which hold ``img_path`` only, are sorted by path.

    Image folder directory: ::

        data_root/data_prefix
        ├── folder_1
        │   ├── xxx.jpg
        │   └── ...
        ├── 123.png
        └── ...

    Args:
        data_root (str): The root directory of ``data_prefix``.
            Defaults to ''.
        data_prefix (str | dict): The image folder, relative to
            ``data_root``. Defaults to ''.
        extensions (Sequence[str]): The image file extensions.
            Defaults to :data:`IMG_EXTENSIONS`.
        **kwargs: Other arguments of
            :class:`mmpretrain.datasets.CustomDataset` (``with_label`` is
            always False).
    """

    def __init__(self,
                 data_root: str = '',
                 data_prefix: Union[str, dict] = '',
                 extensions: Sequence[str] = IMG_EXTENSIONS,
                 **kwargs):
        super().__init__(
            data_root=data_root,
            data_prefix=data_prefix,
            with_label=False,
            extensions=extensions,
            **kwargs)

    def _find_samples(self):
        """Find the images under the folder, relative to it, sorted."""
        folder = self.img_prefix
        if not osp.isdir(folder):
            raise FileNotFoundError(f'Image folder not found: {folder}')
        samples, _ = get_samples(folder, None, self.is_valid_file)
        if not samples:
            raise FileNotFoundError(
                f'No image ({", ".join(sorted(self.extensions))}) found '
                f'under {folder}')
        return samples
