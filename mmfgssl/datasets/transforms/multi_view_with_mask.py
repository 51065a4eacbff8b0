# Copyright (c) OpenMMLab. All rights reserved.
import copy
from typing import List, Union

from mmpretrain.datasets.transforms import MultiView
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class MultiViewWithMask(MultiView):
    """mmpretrain's :class:`MultiView` that also keeps each view's mask.

    ``MultiView`` keeps only the views' images. This wrapper runs the same
    view pipelines and collects, besides ``img``, every view's saliency
    mask (written by :class:`SaliencySwap` under ``mask_key`` and moved by
    the geometric transforms of the view pipeline) into ``saliency_mask``, for
    ``PackInputs(algorithm_keys=['saliency_mask'])`` to hand to the model.

    A view whose mask is missing, or whose mask size differs from its image
    size (a geometric transform that does not move ``mask_key``, e.g.
    mmpretrain's ``RandomResizedCrop``), raises an error naming the view
    pipeline. Mask-aware geometric transforms for the default
    ``'gt_seg_map'``: mmcv's ``RandomFlip``, ``Resize``, ``CenterCrop``.

    **Required Keys:**

    - img

    **Modified Keys:**

    - img (list of the views' images)

    **Added Keys:**

    - saliency_mask: list of the views' ``H x W`` masks

    Args:
        transforms (list[list[dict | callable]]): View pipelines, as
            ``MultiView``.
        num_views (int | list[int]): Views per pipeline, as ``MultiView``.
        mask_key (str): The mask key inside a view. Defaults to
            ``'gt_seg_map'``.
    """

    def __init__(self,
                 transforms: List[List[Union[dict, callable]]],
                 num_views: Union[int, List[int]],
                 mask_key: str = 'gt_seg_map') -> None:
        # build with mmpretrain's registry, whatever the default scope
        transforms = [[
            TRANSFORMS.build(t) if isinstance(t, dict) else t for t in trans
        ] for trans in transforms]
        super().__init__(transforms=transforms, num_views=num_views)
        self.mask_key = mask_key

    def transform(self, results: dict) -> dict:
        """Run every view pipeline on a copy of ``results``."""
        imgs, masks = [], []
        for i, trans in enumerate(self.transforms):
            outputs = trans(copy.deepcopy(results))
            mask = outputs.get(self.mask_key)
            if mask is None:
                raise KeyError(
                    f'MultiViewWithMask: view {i} has no {self.mask_key!r}; '
                    f'the view pipeline must make one (SaliencySwap): {trans}')
            img = outputs['img']
            if mask.shape[:2] != img.shape[:2]:
                raise ValueError(
                    f'MultiViewWithMask: view {i} has an image of size '
                    f'{img.shape[:2]} but a mask of size {mask.shape[:2]}: a '
                    'geometric transform of the view pipeline does not move '
                    f'{self.mask_key!r} with the image: {trans}')
            imgs.append(img)
            masks.append(mask)
        results['img'] = imgs
        results['saliency_mask'] = masks
        return results
