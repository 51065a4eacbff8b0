# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional

from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

from ..saliency import SaliencyMaskSource


@TRANSFORMS.register_module()
class LoadSaliencyMask(BaseTransform):
    """Add the pixel-wise foreground mask of an image (DiLo, AAAI 2021,
    Sec. 4), for :class:`CopyPasteBackground`.

    The mask comes from a :class:`~mmfgssl.datasets.saliency.
    SaliencyMaskSource`: a ground-truth mask file, a precomputed saliency map
    or an unsupervised detector run here, binarised by a documented rule.
    Put it after ``LoadImageFromFile`` and before ``MultiView``, so a
    detector runs once per image and every view gets the same mask.

    **Required Keys:**

    - img
    - img_path (for the file sources)

    **Added Keys:**

    - ``mask_key`` (``'fg_mask'``): ``H x W`` uint8 mask, 1 = foreground
    - ``soft_key`` (when given): ``H x W`` float32 saliency map in [0, 1],
      the map the mask was binarised from (for
      ``CopyPasteBackground(alpha_source='saliency')``)

    Args:
        source (dict, optional): :class:`SaliencyMaskSource` arguments.
            Defaults to ``dict(kind='detector', method='background_prior')``
            (RBD-style, the paper's final setting, Sec. 6.3).
        mask_key (str): Where the mask is stored. Defaults to ``'fg_mask'``.
        soft_key (str, optional): Also store the continuous saliency map
            under this key. Defaults to None (not stored).
    """

    def __init__(self,
                 source: Optional[dict] = None,
                 mask_key: str = 'fg_mask',
                 soft_key: Optional[str] = None) -> None:
        source = source or dict(kind='detector', method='background_prior')
        self.source = SaliencyMaskSource(
            **source, cfg_key='LoadSaliencyMask.source')
        self.mask_key = mask_key
        self.soft_key = soft_key

    def bind_train_set(self, dataset) -> None:
        """Resolve ``{data_root}`` in the source's folders to the data root
        of ``dataset`` (the training set whose pipeline holds this)."""
        self.source.bind_data_root(dataset.data_root)

    def transform(self, results: dict) -> dict:
        """Add ``results[mask_key]`` (and ``results[soft_key]``)."""
        saliency = self.source.saliency(results)  # H x W float32
        results[self.mask_key] = self.source.binarize_map(saliency)  # H x W
        if self.soft_key:
            results[self.soft_key] = saliency

        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(source={self.source!r}, '
                f'mask_key={self.mask_key!r}, soft_key={self.soft_key!r})')
