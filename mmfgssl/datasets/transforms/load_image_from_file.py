# Copyright (c) OpenMMLab. All rights reserved.
"""mmcv's ``LoadImageFromFile`` with a clear error for an unreadable image
and an opt-in, counted skip of it.

A truncated or corrupt file passes the dataset build (only its header is
read there) and stops a run mid-epoch with mmcv's bare ``AssertionError:
failed to load image``. This class is registered in mmpretrain's
``TRANSFORMS`` under the same name when :mod:`mmfgssl` is imported, so every
config's ``dict(type='LoadImageFromFile')`` gets it with its arguments
unchanged.
"""
from mmcv.transforms import LoadImageFromFile as _LoadImageFromFile
from mmengine.logging import MMLogger
from mmpretrain.registry import TRANSFORMS

__all__ = ['LoadImageFromFile']

CHECK_TOOL = 'tools/analysis_tools/check_images.py'


@TRANSFORMS.register_module(name='LoadImageFromFile', force=True)
class LoadImageFromFile(_LoadImageFromFile):
    """Load an image from a file (mmcv's transform), naming the file and the
    way out when it cannot be decoded.

    With ``skip_unreadable=True`` an unreadable image makes the transform
    return ``None``: a training dataset (mmengine's ``BaseDataset``) then
    draws another sample in its place. Every skip is logged with the file
    and counted (``num_skipped``, per process). Off by default: an
    unreadable file stops the run with a message that names the option and
    ``tools/analysis_tools/check_images.py``, which lists every unreadable
    image of a set.

    **Required Keys:**

    - img_path

    **Modified Keys:**

    - None

    **Added Keys:**

    - img
    - img_shape
    - ori_shape

    Args:
        skip_unreadable (bool): Skip (and count, and log) an image that
            cannot be read instead of raising. Defaults to False.
        **kwargs: The arguments of mmcv's ``LoadImageFromFile``.
    """

    def __init__(self, skip_unreadable: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.skip_unreadable = skip_unreadable
        self.num_skipped = 0

    def transform(self, results: dict):
        try:
            return super().transform(results)
        except Exception as e:
            filename = results.get('img_path')
            reason = f'{type(e).__name__}: {e}'
            if not self.skip_unreadable:
                raise OSError(
                    f'cannot read the image {filename} ({reason}). '
                    f'List the unreadable images of a set with {CHECK_TOOL};'
                    ' to skip them in training (each replaced by another '
                    'sample, counted and logged) set skip_unreadable=True '
                    'in the pipeline\'s LoadImageFromFile') from e
            self.num_skipped += 1
            MMLogger.get_current_instance().warning(
                f'LoadImageFromFile: skipped the unreadable image {filename} '
                f'({reason}); {self.num_skipped} skipped in this process, '
                'another sample is drawn in its place')
            return None

    def __repr__(self):
        return (super().__repr__()[:-1] +
                f', skip_unreadable={self.skip_unreadable})')
