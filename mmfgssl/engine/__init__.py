# Copyright (c) OpenMMLab. All rights reserved.
from . import hooks  # noqa: F401
from .hooks import (AtomicCheckpointHook, BindTrainSetHook,
                    ContrastiveCropHook, KNNEvalHook, RandomStateHook,
                    attach_box_table, ccrop_update_epochs,
                    find_contrastive_crops)

__all__ = [
    'AtomicCheckpointHook', 'BindTrainSetHook', 'ContrastiveCropHook',
    'KNNEvalHook', 'attach_box_table', 'ccrop_update_epochs',
    'find_contrastive_crops', 'RandomStateHook'
]
