# Copyright (c) OpenMMLab. All rights reserved.
import logging
from typing import Optional, Sequence, Tuple, Union

import numpy as np
from mmcv.transforms.utils import cache_randomness
from mmengine.logging import print_log
from mmpretrain.datasets.transforms import RandomResizedCrop
from mmpretrain.registry import TRANSFORMS

from mmfgssl.utils.checks import check_choice
from .functional import PLACEMENTS, WHOLE_IMAGE_CROPS, contrastive_crop_params


@TRANSFORMS.register_module()
class ContrastiveCrop(RandomResizedCrop):
    """RandomResizedCrop with the crop position drawn inside a box.

    ContrastiveCrop (Peng et al., "Crafting Better Contrastive Views for
    Siamese Representation Learning", CVPR 2022, Eq. 4 and Algorithm 1):
    the crop size and aspect ratio follow RandomResizedCrop exactly; the
    crop position inside the sample's box follows ``Beta(alpha, alpha)`` in
    each axis. With ``placement='corner_range'`` (default, as the authors'
    public sampler) the range of top-left corners that centre the crop on
    the box's first and last pixel is clipped to the image, then the corner
    is drawn in it; with ``'centre_clamp'`` the centre
    ``(x0 + (x1 - x0) u, y0 + (y1 - y0) v)`` is drawn in the box and the
    crop shifted into the image afterwards, which puts many more crops on
    the image border (see
    :func:`~mmfgssl.datasets.transforms.functional.contrastive_crop_params`).
    Each call draws independently, so the two views of a ``MultiView``
    pipeline share the box and sample their crops independently.

    The boxes live in a :class:`~mmfgssl.datasets.BoxTable` that
    :class:`~mmfgssl.engine.hooks.ContrastiveCropHook` creates and sets as
    ``box_table`` on every ContrastiveCrop of the training pipeline before
    the data-loader workers start; the transform reads the box of
    ``results['sample_idx']`` (set by mmengine's ``BaseDataset``). Once the
    table is active every box is Beta-sampled, a whole-image one included
    (Alg. 1 and the authors' code), unless ``whole_image='uniform'``. The
    crop is exactly RandomResizedCrop's (same random draws) when

    * the table is not active yet (the warm-up epochs),
    * the sample's box is the whole image and ``whole_image='uniform'``, or
    * there is no table: the transform used without the hook (e.g. a
      pipeline check). Such calls are counted in ``num_without_table`` and
      a warning is logged once per process.

    Boxes are normalised, so transforms before this one may resize the
    image, but must not flip or crop it.

    **Required Keys:**

    - img
    - sample_idx (when a box table is active)

    **Modified Keys:**

    - img
    - img_shape

    **Added Keys:**

    - ccrop_box (when a box was used: the sample's normalised box)
    - ccrop_crop_bbox (when a box was used: the crop, normalised
      ``x0, y0, x1, y1`` of the input image, pixel edges; for
      ``tools/visualization/browse_views.py``)

    Args:
        scale (Sequence | int): Output size ``(h, w)`` or an int for a square.
        alpha (float): The parameter of the symmetric Beta distribution of
            the centre; the paper uses 0.6 on ImageNet and 0.1 on small
            datasets. Defaults to 0.6.
        placement (str): ``'corner_range'`` (the authors' sampler) or
            ``'centre_clamp'``. Defaults to ``'corner_range'``.
        whole_image (str): How a whole-image box is cropped once the boxes
            are active: ``'beta'`` (as any box, Alg. 1) or ``'uniform'``
            (RandomResizedCrop). Defaults to ``'beta'``.
        **kwargs: The other arguments of mmpretrain's
            :class:`RandomResizedCrop` (``crop_ratio_range``,
            ``aspect_ratio_range``, ``max_attempts``, ``interpolation``,
            ``backend``), with its defaults.
    """

    def __init__(self,
                 scale: Union[Sequence, int],
                 alpha: float = 0.6,
                 placement: str = 'corner_range',
                 whole_image: str = 'beta',
                 **kwargs) -> None:
        super().__init__(scale=scale, **kwargs)
        if not alpha > 0:
            raise ValueError(f'ContrastiveCrop: alpha must be > 0, got '
                             f'{alpha}')
        self.alpha = float(alpha)
        check_choice('ContrastiveCrop.placement', placement, PLACEMENTS)
        check_choice('ContrastiveCrop.whole_image', whole_image,
                     WHOLE_IMAGE_CROPS)
        self.placement = placement
        self.whole_image = whole_image
        self.box_table = None
        self.num_without_table = 0
        self._box = None  # the box of the sample in transform()
        self._crop = None  # the last crop parameters drawn

    def current_box(self, results: dict) -> Optional[np.ndarray]:
        """The box the crop position is drawn in, or None for a plain
        RandomResizedCrop."""
        if self.box_table is None:
            if self.num_without_table == 0:
                print_log(
                    'ContrastiveCrop has no box table and crops like '
                    'RandomResizedCrop. In training, add '
                    "dict(type='ContrastiveCropHook') to custom_hooks.",
                    logger='current',
                    level=logging.WARNING)
            self.num_without_table += 1
            return None
        if not self.box_table.is_active:
            return None
        if 'sample_idx' not in results:
            raise KeyError(
                'ContrastiveCrop needs results["sample_idx"] to find the '
                'box of a sample; mmengine BaseDataset.get_data_info sets '
                f'it. Got the keys {sorted(results)}')
        return self.box_table.get(int(results['sample_idx']))

    @cache_randomness
    def rand_crop_params(self,
                         img: np.ndarray,
                         box: Optional[Sequence[float]] = None
                         ) -> Tuple[int, int, int, int]:
        """Crop parameters ``(offset_h, offset_w, target_h, target_w)``.

        Args:
            img (np.ndarray): The image to crop.
            box (Sequence[float], optional): The normalised box of the crop
                centre; None: the box of the sample being transformed
                (None outside :meth:`transform`: a plain
                RandomResizedCrop).
        """
        h, w = img.shape[:2]
        if box is None:
            box = self._box
        params = contrastive_crop_params(h, w, box, self.alpha,
                                         self.crop_ratio_range,
                                         self.aspect_ratio_range,
                                         self.max_attempts, self.placement,
                                         self.whole_image)[:4]
        self._crop = params
        return params

    def transform(self, results: dict) -> dict:
        """Crop at a position drawn in the sample's box and resize
        (RandomResizedCrop's crop and resize, with this class's
        :meth:`rand_crop_params`).

        Args:
            results (dict): The result dict, with ``img``.

        Returns:
            dict: ``img`` cropped and resized to ``scale``, ``img_shape``,
            and with a box ``ccrop_box`` and ``ccrop_crop_bbox``.
        """
        h, w = results['img'].shape[:2]
        box = self.current_box(results)
        self._box = box
        try:
            results = super().transform(results)
        finally:
            self._box = None
        if box is not None:
            offset_h, offset_w, target_h, target_w = self._crop
            results['ccrop_box'] = np.asarray(box, np.float32)
            results['ccrop_crop_bbox'] = np.array(
                [  # pixel edges / size
                    offset_w / w, offset_h / h, (offset_w + target_w) / w,
                    (offset_h + target_h) / h
                ],
                np.float32)
        return results

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + (
            f', alpha={self.alpha}, placement={self.placement!r}, '
            f'whole_image={self.whole_image!r})')
