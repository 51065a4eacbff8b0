# Copyright (c) OpenMMLab. All rights reserved.
"""ContrastiveCrop's schedule and the transforms that share its box table,
for :class:`ContrastiveCropHook` and the tools."""
from typing import List

from mmfgssl.datasets import BoxTable, find_transforms
from mmfgssl.datasets.transforms import ContrastiveCrop

__all__ = ['ccrop_update_epochs', 'find_contrastive_crops', 'attach_box_table']


def ccrop_update_epochs(warmup_epochs: int, interval: int,
                        max_epochs: int) -> List[int]:
    """The epochs after which :class:`ContrastiveCropHook` updates boxes.

    An update follows epoch ``e`` (1-based, counted when it is done) when
    ``e >= warmup_epochs``, ``e`` is a multiple of ``interval`` and training
    goes on after it (``e < max_epochs``).

    Returns:
        list[int]: The epochs, ascending.
    """
    return [
        e for e in range(1, max_epochs)
        if e >= warmup_epochs and e % interval == 0
    ]


def find_contrastive_crops(pipeline) -> List[ContrastiveCrop]:
    """The ContrastiveCrop transforms nested in a built pipeline (mmengine or
    mmcv Compose, MultiView, RandomApply, ... and lists of them), the ones
    :class:`ContrastiveCropHook` hands its box table to."""
    return find_transforms(pipeline, lambda t: isinstance(t, ContrastiveCrop))


def attach_box_table(pipeline,
                     box_table: BoxTable,
                     who: str = 'ContrastiveCropHook') -> int:
    """Hand ``box_table`` to every ContrastiveCrop of a built pipeline.

    Returns:
        int: How many transforms share the table.

    Raises:
        RuntimeError: If the pipeline has no ContrastiveCrop, naming ``who``
            and the config change.
    """
    crops = find_contrastive_crops(pipeline)
    if not crops:
        raise RuntimeError(
            f'{who}: no ContrastiveCrop in train_dataloader.dataset.pipeline;'
            " replace its RandomResizedCrop by dict(type='ContrastiveCrop', "
            '...)')
    for crop in crops:
        crop.box_table = box_table
    return len(crops)
